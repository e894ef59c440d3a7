# spec: E-04
# Rescuing every exception class and retrying cannot outlast the deadline:
# the timeout is a trap, not a Ruby exception.
# expect: timeout
# stdout-len: 0
begin
  loop { raise Exception, "again" }
rescue Exception
  retry
end
