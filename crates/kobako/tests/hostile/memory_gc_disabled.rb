# spec: E-05
# expect: memory_limit
GC.disable
loop { "x" * 100 }
