# spec: L-01
# The guest spins inside a block the host yielded to; the deadline still
# applies while the host is waiting on the guest (B-24).
# expect: timeout
# host-calls: 1
Host::Each.call(3) { loop {} }
