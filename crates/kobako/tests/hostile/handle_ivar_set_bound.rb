# spec: X-05
# Bypasses Handle#instance_variable_set by binding Object's own method.
# expect: sandbox_error FrozenError
# host-calls: 1
h = Host::Objects.counter
Object.instance_method(:instance_variable_set).bind_call(h, :@id, 2)
