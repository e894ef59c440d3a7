# spec: E-04
# One long-running C primitive (big integer power) still ends at the deadline,
# or mruby 4.0's bigint refuses the size up front.
# expect: timeout | memory_limit | sandbox_error RangeError
10**10_000_000
