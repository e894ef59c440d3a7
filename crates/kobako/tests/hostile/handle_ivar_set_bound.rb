# spec: X-05
# Bypasses Handle#instance_variable_set by binding Object's own method.
# expect: sandbox_error FrozenError
# host-calls: 1
# known-failure: the guest raises ArgumentError ("cannot set instance variable") instead of FrozenError; nothing changes
h = Host::Objects.counter
Object.instance_method(:instance_variable_set).bind_call(h, :@id, 2)
