# spec: E-13
# expect: sandbox_error ArgumentError
# host-calls: 0
a = []
a << a
Host::Echo.call(a)
