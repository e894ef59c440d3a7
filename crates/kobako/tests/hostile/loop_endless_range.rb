# spec: E-04
# expect: timeout
(1..).each { |i| i * 2 }
