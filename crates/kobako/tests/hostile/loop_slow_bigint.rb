# spec: E-04
# One long-running C primitive (big integer power) still ends at the deadline.
# expect: timeout | memory_limit
10**10_000_000
