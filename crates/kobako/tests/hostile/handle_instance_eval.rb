# spec: X-05
# expect: sandbox_error FrozenError
# host-calls: 1
h = Host::Objects.counter
h.instance_eval { @id = 2 }
