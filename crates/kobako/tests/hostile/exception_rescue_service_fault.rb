# spec: E-07
# expect: ok
# value: ["Kobako::ServiceError", "nope", true]
# host-calls: 1
begin
  Host::Fail.call("nope")
rescue => e
  [e.class.name, e.message, e.is_a?(RuntimeError)]
end
