# spec: L-03
# Exactly the limit is not truncation.
# expect: ok
# stdout-len: 65536
print "a" * 65_536
nil
