# spec: E-23
# A method name that is not UTF-8 cannot travel as the wire's str: the guest
# refuses it before any host call (it used to arrive mangled by the host's
# lossy decoding).
# expect: sandbox_error ArgumentError
# message: method name must be UTF-8
# host-calls: 0
Kobako.__dispatch("Host::Echo", "\xff".to_sym, [], {}, nil)
