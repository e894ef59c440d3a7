# spec: E-05
# expect: memory_limit | sandbox_error RangeError
2**(2**30)
