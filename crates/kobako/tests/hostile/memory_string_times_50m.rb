# spec: E-05
# expect: memory_limit
"x" * 50_000_000
