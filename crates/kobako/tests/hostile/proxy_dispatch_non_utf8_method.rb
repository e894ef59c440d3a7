# spec: E-23
# A method name that is not UTF-8 on an unbound path.
# expect: service_error undefined
# host-calls: 0
Kobako.__dispatch("Nope::Thing", "\xff".to_sym, [], {}, nil)
