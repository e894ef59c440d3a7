# spec: E-04
# expect: timeout
loop { catch(:again) { throw :again } }
