# spec: L-04
# A 17 MiB reply does not: the guest gets a runtime fault it can rescue.
# limits: memory=128MiB
# expect: ok
# value: "runtime"
# host-calls: 1
begin
  Host::Big.string(17 << 20)
rescue Kobako::ServiceError => e
  e.instance_variable_get(:@__kobako_details)["type"]
end
