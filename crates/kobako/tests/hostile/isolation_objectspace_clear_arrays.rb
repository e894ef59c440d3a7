# spec: S-09
# Clearing every Array in the VM (runtime internals included) while the host
# is yielding; whatever breaks in the guest, the host survives.
# Observed: the runtime's own block stack is emptied, so the next yield
# fails in the guest with LocalJumpError and the service reports a fault.
# expect: service_error runtime
# message: LocalJumpError
Host::Each.call(3) do |i|
  ObjectSpace.each_object(Array) { |a| a.clear unless a.frozen? }
  i
end
