# spec: L-07
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout
def down(n) = down(n + 1)
down(0)
