# spec: L-07
# Every level re-enters the VM from C (Array#each calling the block).
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout
def dive(n) = [n].each { |x| dive(x + 1) }
dive(0)
