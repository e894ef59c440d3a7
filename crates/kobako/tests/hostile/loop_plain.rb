# spec: E-04
# An empty endless loop: the epoch deadline must stop it.
# expect: timeout
loop {}
