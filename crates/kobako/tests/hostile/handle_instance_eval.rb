# spec: X-05
# expect: sandbox_error FrozenError
# host-calls: 1
# known-failure: the guest raises ArgumentError ("cannot set instance variable", mruby checks ivar support before frozenness); nothing changes, but X-05 names FrozenError
h = Host::Objects.counter
h.instance_eval { @id = 2 }
