# spec: B-12
# A Handle forwards Kernel's private names as well: the host object is asked
# (and the Counter has no `format`), nothing is answered locally.
# expect: service_error undefined
# message: format
# host-calls: 2
Host::Objects.counter.format("%d", 5)
