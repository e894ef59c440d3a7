# spec: E-05
# expect: memory_limit
a = []
loop { a << a.size }
