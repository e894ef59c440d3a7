# spec: L-03
# 2 MB of lines into a 64 KiB channel: clipped, flagged, outcome unchanged.
# expect: ok stdout_truncated
# stdout-len: 65536
# value: :done
20_000.times { puts "x" * 99 }
:done
