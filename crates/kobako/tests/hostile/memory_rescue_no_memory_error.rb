# spec: E-05
# The cap is a trap: rescuing NoMemoryError (or Exception) does not catch it.
# expect: memory_limit
begin
  "x" * 50_000_000
rescue NoMemoryError, Exception
  :rescued
end
