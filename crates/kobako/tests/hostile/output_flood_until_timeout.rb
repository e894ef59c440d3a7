# spec: L-03
# Writing forever: the timeout ends it; the capture is full and flagged.
# expect: timeout stdout_truncated
# stdout-len: 65536
loop { print "z" * 1000 }
