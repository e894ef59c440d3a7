# spec: L-03
# 2 MB of lines into a 64 KiB channel: clipped, flagged, outcome unchanged.
# 40,000 guest writes take longer than the corpus default of 300 ms on a
# loaded machine; the point is the clipping, so this one gets 2 s.
# limits: timeout=2s
# expect: ok stdout_truncated
# stdout-len: 65536
# value: :done
20_000.times { puts "x" * 99 }
:done
