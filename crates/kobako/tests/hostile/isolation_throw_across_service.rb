# spec: B-24
# throw from a block the host is running, to a catch outside the call.
# mruby implements throw as a break out of the catch block, which cannot
# unwind through the host frame: the service sees a LocalJumpError.
# expect: service_error runtime
# message: LocalJumpError
# host-calls: 1
catch(:out) do
  Host::Each.call(3) { |x| throw :out, x }
  :not_thrown
end
