# spec: B-24
# `return` inside a plain block the host is yielding to (E-28).
# expect: service_error runtime
# message: LocalJumpError
# host-calls: 1
def leave = Host::Each.call(3) { |x| return x }
leave
