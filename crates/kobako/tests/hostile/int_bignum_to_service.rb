# spec: X-01
# An Integer outside i64 never leaves the guest (RangeError at the call).
# expect: ok
# value: "RangeError"
# host-calls: 0
begin
  Host::Echo.call(2**64)
rescue RangeError => e
  e.class.name
end
