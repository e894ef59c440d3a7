# spec: E-13
# Too deep for a call: refused in the guest, no host call.
# expect: sandbox_error ArgumentError
# host-calls: 0
a = 1
10_000.times { a = [a] }
Host::Echo.call(a)
