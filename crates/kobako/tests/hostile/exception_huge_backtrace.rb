# spec: E-07
# expect: sandbox_error RuntimeError | sandbox_error SystemStackError
def down(n) = n.zero? ? raise("bottom") : down(n - 1)
down(900)
