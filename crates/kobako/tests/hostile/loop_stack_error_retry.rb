# spec: E-04
# Recursing into SystemStackError, rescuing it and retrying forever.
# expect: timeout
def down(n) = down(n + 1)
begin
  down(0)
rescue SystemStackError
  retry
end
