# spec: X-01
# mruby has no Integer::MAX; i64::MAX + 1 promotes to a big integer and
# cannot cross.
# expect: sandbox_error RangeError
(2**63 - 1) + 1
