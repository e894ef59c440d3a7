# spec: S-04
# Every route to a Handle-like object: construction is refused (X-05), and
# what a copy of the class builds carries no id the host issued, so it
# reaches nothing, and cannot become a Handle by copying one either.
# expect: ok
# value: ["NoMethodError", "NoMethodError", "NoMethodError", "NoMethodError", "built, TypeError", "TypeError", 1]
# host-calls: 2
h = Host::Objects.counter
copy = Kobako::Handle.dup
routes = [
  -> { Class.instance_method(:allocate).bind_call(Kobako::Handle) },
  -> { Class.instance_method(:new).bind_call(Kobako::Handle) },
  -> { Class.instance_method(:allocate).bind_call(Class.new(Kobako::Handle)) },
  -> { Kobako::Handle.clone.new },
  -> { Class.instance_method(:allocate).bind_call(copy) },
  -> { Class.instance_method(:allocate).bind_call(copy).send(:initialize_copy, h) },
]
outcomes = routes.map do |route|
  object = route.call
  begin
    object.incr
    "reached"
  rescue => e
    "built, #{e.class}"
  end
rescue => e
  e.class.name
end
outcomes + [h.incr]
