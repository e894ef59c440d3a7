# spec: L-07
# flatten of an Array that contains itself.
# expect: sandbox_error SystemStackError | sandbox_error ArgumentError | trap | memory_limit | timeout
a = [1]
a << a
a.flatten
