# spec: E-04
# The timeout must not be escapable by looping again in `ensure`.
# expect: timeout
begin
  loop {}
ensure
  loop {}
end
