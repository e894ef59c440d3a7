# spec: X-05
# Class#allocate taken from Class and bound to Kobako::Handle: X-05 says
# construction raises NoMethodError.
# expect: sandbox_error NoMethodError
# host-calls: 0
# known-failure: guest/src/handle.c undefines Handle.allocate on the singleton only; Class#allocate bound to Kobako::Handle still builds a Handle (id 0, not frozen)
Class.instance_method(:allocate).bind_call(Kobako::Handle)
