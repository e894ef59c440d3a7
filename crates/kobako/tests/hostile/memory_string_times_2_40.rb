# spec: E-05
# expect: sandbox_error RangeError | sandbox_error ArgumentError | memory_limit
"x" * (2**40)
