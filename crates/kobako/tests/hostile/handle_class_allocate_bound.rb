# spec: X-05
# Class#allocate taken from Class and bound to Kobako::Handle: X-05 says
# construction raises NoMethodError.
# expect: sandbox_error NoMethodError
# host-calls: 0
Class.instance_method(:allocate).bind_call(Kobako::Handle)
