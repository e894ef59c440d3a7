# spec: L-03
# 40,000 guest writes take longer than the corpus default of 300 ms on a
# loaded machine; the point is the clipping, so this one gets 2 s.
# limits: timeout=2s
# expect: ok stderr_truncated
# stdout-len: 0
20_000.times { warn "e" * 99 }
