# spec: S-04
# An Integer is not a Handle, whatever its value.
# expect: sandbox_error TypeError
# host-calls: 0
Kobako.__dispatch(1, :incr, [], {}, nil)
