# spec: L-07
# inspect of a 100_000-deep Array recurses in C.
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout | ok
a = []
100_000.times { a = [a] }
a.inspect.size
