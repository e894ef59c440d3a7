# spec: L-07
# inspect of a 100_000-deep Array recurses in C; the guest's C stack
# check raises before the engine's stack runs out.
# expect: sandbox_error SystemStackError
a = []
100_000.times { a = [a] }
a.inspect.size
