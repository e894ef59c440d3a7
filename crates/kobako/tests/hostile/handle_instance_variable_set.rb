# spec: X-05
# expect: sandbox_error FrozenError
# host-calls: 1
Host::Objects.counter.instance_variable_set(:@id, 2)
