# spec: X-05
# expect: sandbox_error NoMethodError
# host-calls: 0
Class.new(Kobako::Handle).new
