# spec: X-05
# Class#new taken from Class and bound to Kobako::Handle.
# expect: sandbox_error NoMethodError
# host-calls: 0
Class.instance_method(:new).bind_call(Kobako::Handle)
