# spec: L-03
# Output is kept (clipped) when the invocation fails (X-02).
# expect: sandbox_error RuntimeError stdout_truncated
# stdout-len: 65536
print "o" * 100_000
raise "after the flood"
