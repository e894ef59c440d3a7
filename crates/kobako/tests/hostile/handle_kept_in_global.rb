# spec: B-18
# A Handle parked in a global is gone in the next invocation (fresh instance).
# expect: ok
# value: 1
# then: $kept.incr
# then-expect: sandbox_error NoMethodError
$kept = Host::Objects.counter
$kept.incr
