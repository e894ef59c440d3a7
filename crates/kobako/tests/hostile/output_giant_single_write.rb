# spec: L-03
# expect: ok stdout_truncated
# stdout-len: 65536
# value: 2000000
print "y" * 2_000_000
2_000_000
