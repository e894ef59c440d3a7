# spec: S-04
# Handle#method_missing bound to a non-Handle is refused by `bind`.
# expect: sandbox_error TypeError
# host-calls: 0
Kobako::Handle.instance_method(:method_missing).bind_call(Object.new, :incr)
