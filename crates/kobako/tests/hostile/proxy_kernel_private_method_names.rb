# spec: B-12
# A service method that shares its name with one of Kernel's private methods
# (format, fail, puts, p, rand, loop, ...). In Ruby, a private method called
# with an explicit receiver goes to method_missing, so the call should reach
# the service (B-12); these names are not among the proxy's own (B-36).
# expect: ok
# value: ["%d", 5]
# host-calls: 1
Host::Echo.format("%d", 5)
