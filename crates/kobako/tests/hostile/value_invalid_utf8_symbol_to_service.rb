# spec: B-13
# expect: sandbox_error ArgumentError
# host-calls: 0
Host::Echo.call("\xff".to_sym)
