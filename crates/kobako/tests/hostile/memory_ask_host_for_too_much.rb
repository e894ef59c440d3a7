# spec: E-05
# A service reply larger than the guest may grow (8 MiB into a 4 MiB cap)
# stops the invocation at the memory cap, not the host.
# expect: memory_limit
# host-calls: 1
Host::Big.string(8 << 20).size
