# spec: E-04
# expect: timeout
eval("loop {}")
