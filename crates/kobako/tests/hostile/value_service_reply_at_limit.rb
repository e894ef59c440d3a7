# spec: L-04
# A 15 MiB reply fits the 16 MiB message limit and crosses intact.
# limits: memory=128MiB
# expect: ok
# value: 15728640
# host-calls: 1
Host::Big.string(15 << 20).size
