# spec: E-05
# expect: memory_limit
s = "x"
loop { s += s }
