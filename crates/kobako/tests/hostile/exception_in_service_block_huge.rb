# spec: E-07
# A block raises with a 5 MB message while the host is yielding: the block
# reply is clipped and the failure reaches the service as a fault.
# limits: memory=64MiB
# expect: service_error runtime
# host-calls: 1
Host::Each.call(1) { raise ArgumentError, "m" * 5_000_000 }
