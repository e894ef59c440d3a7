# spec: E-05
# Symbols are never collected; long names fill memory fast.
# limits: timeout=10s
# expect: memory_limit
i = 0
loop { ("s" * 20_000 + i.to_s).to_sym; i += 1 }
