# spec: E-05
# One small String becomes a million String objects.
# expect: memory_limit | timeout
("a" * 1_000_000).split("")
