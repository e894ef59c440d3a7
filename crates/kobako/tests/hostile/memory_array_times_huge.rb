# spec: E-05
# expect: sandbox_error RangeError | sandbox_error ArgumentError | memory_limit
[1, 2] * (2**31)
