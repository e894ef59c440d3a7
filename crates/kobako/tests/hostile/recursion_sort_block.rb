# spec: L-07
# Recursion through a C sort calling back into a block that sorts again.
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout
def order(list) = list.sort { |a, b| order([b, a]).size <=> 1 }
order([2, 1])
