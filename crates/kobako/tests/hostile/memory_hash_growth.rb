# spec: E-05
# expect: memory_limit
h = {}
i = 0
loop { h[i] = i.to_s; i += 1 }
