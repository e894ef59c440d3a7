# spec: E-05
# limits: timeout=5s
# expect: memory_limit
a = []
loop { a << a.size }
