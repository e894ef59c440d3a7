# spec: E-05
# expect: memory_limit
[0] * 10_000_000
