# spec: S-04
# Even a Handle built around X-05 carries no id the host issued: it can
# reach nothing, and it cannot be returned.
# expect: ok
# value: ["TypeError", false]
# host-calls: 0
h = Class.instance_method(:allocate).bind_call(Kobako::Handle) rescue nil
reached = begin
  h.incr
  "reached"
rescue => e
  e.class.name
end
[reached, h.frozen?]
