# spec: E-05
# The block the host yields to allocates without bound; the cap stops it
# while the host is inside the service (B-24).
# expect: memory_limit
# host-calls: 1
Host::Each.call(1) { s = "x"; loop { s += s } }
