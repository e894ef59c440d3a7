# spec: B-18
# expect: ok
# then: Object.const_defined?(:KEPT) ? KEPT.incr : :gone
# then-value: :gone
# then-expect: ok
KEPT = Host::Objects.counter
nil
