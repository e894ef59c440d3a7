# spec: B-12 B-36
# The names a proxy answers itself (CRuby's public methods) make no host call.
# expect: ok
# value: ["Host::Echo", "Host::Echo", true, false, true, true, "#<Kobako::Handle>", true]
# host-calls: 1
h = Host::Objects.counter
[Host::Echo.name, Host::Echo.inspect, Host::Echo.respond_to?(:format), Host::Echo.frozen?,
 Host::Echo.new.is_a?(Host::Echo), Host::Echo == Host::Echo, h.inspect, h.frozen?]
