# spec: X-05
# Random keeps its state inline, as a Handle keeps its id. Every way of
# running Random's C methods on a Handle (which would overwrite the id) is
# refused, and the Handle still reaches its own object afterwards.
# expect: ok
# value: ["TypeError", "TypeError", "TypeError", 1]
# host-calls: 2
h = Host::Objects.counter
srand = Random.instance_method(:srand)
routes = [
  -> { Kobako::Handle.define_method(:reseed, srand); h.reseed(7) },
  -> { srand.bind_call(h, 7) },
  -> { srand.bind(h).call(7) },
]
outcomes = routes.map do |route|
  route.call
  "grafted"
rescue => e
  e.class.name
end
outcomes + [h.incr]
