# spec: S-03
# expect: sandbox_error TypeError
# host-calls: 0
Kobako::ServiceProxy.anything
