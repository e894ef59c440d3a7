# spec: S-03
# The raw primitive reaches bound services and nothing more: it adds no power.
# expect: ok
# value: 42
# host-calls: 1
Kobako.__dispatch("Host::Echo", :call, [42], {}, nil)
