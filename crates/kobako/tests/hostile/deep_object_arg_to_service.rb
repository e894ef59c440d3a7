# spec: E-13
# expect: sandbox_error TypeError
# host-calls: 0
Host::Echo.call(Object.new)
