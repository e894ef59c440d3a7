# spec: L-04
# The same limit for a service call's arguments: refused in the guest with
# a rescuable ArgumentError, and nothing reaches the host.
# limits: memory=64MiB
# expect: ok
# value: "a service call argument holds more than 1048576 values (the most one message may carry)"
# host-calls: 0
row = [0] * 1024
begin
  Host::Echo.call([row] * 1025)
rescue ArgumentError => e
  e.message
end
