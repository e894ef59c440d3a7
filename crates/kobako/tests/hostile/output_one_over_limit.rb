# spec: L-03
# expect: ok stdout_truncated
# stdout-len: 65536
print "a" * 65_536
print "b"
nil
