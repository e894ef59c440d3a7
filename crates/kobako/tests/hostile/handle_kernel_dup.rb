# spec: S-04
# Kernel#dup on a Handle copies its id: the copy reaches the same host object
# and nothing else.
# expect: ok
# value: [1, 2, 2]
# host-calls: 4
h = Host::Objects.counter
d = Object.instance_method(:dup).bind_call(h)
[h.incr, d.incr, h.value]
