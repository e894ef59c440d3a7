# spec: E-13
# The host refuses to send a reply deeper than 128 (E-27); the guest sees a
# runtime fault it can rescue.
# expect: ok
# value: "runtime"
# host-calls: 1
begin
  Host::Big.nested(500)
rescue Kobako::ServiceError => e
  e.instance_variable_get(:@__kobako_details)["type"]
end
