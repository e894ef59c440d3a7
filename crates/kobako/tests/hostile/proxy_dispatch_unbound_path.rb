# spec: E-23
# The raw dispatch primitive with a made-up path.
# expect: service_error undefined
# message: Nope::Thing
# host-calls: 0
Kobako.__dispatch("Nope::Thing", :call, [], {}, nil)
