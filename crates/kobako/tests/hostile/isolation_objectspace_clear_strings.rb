# spec: S-09
# Emptying every String in the VM, proxy paths included.
# Observed: the proxy's path is now "", which names no service (E-23).
# expect: service_error undefined
# host-calls: 0
ObjectSpace.each_object(String) { |s| s.replace("") unless s.frozen? }
Host::Echo.call(1)
