# spec: L-03
# expect: ok stderr_truncated
# stdout-len: 0
20_000.times { warn "e" * 99 }
