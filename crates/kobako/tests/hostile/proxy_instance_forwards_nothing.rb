# spec: X-05
# expect: sandbox_error NoMethodError
# host-calls: 0
Host::Echo.new.call(1)
