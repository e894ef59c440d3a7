# spec: S-03
# A proxy subclass the guest made has no path: it forwards nothing.
# expect: sandbox_error TypeError
# host-calls: 0
Rogue = Class.new(Kobako::ServiceProxy)
Rogue.anything
