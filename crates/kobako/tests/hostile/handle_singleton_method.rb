# spec: X-05
# expect: sandbox_error FrozenError
# host-calls: 1
h = Host::Objects.counter
def h.incr = :forged
