# spec: B-12
# A service method that shares its name with one of Kernel's private methods
# (format, fail, puts, p, rand, loop, ...). In Ruby, a private method called
# with an explicit receiver goes to method_missing, so the call should reach
# the service (B-12); these names are not among the proxy's own (B-36).
# expect: ok
# value: ["%d", 5]
# host-calls: 1
# known-failure: mruby does not enforce private visibility on explicit receivers, so Kernel#format on the proxy answers "5" locally and the service is never called
Host::Echo.format("%d", 5)
