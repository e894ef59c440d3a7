# spec: S-03
# A "block" that is not a Proc: the yield fails in the guest and comes back
# to the service as a raised block, which it reports as a fault.
# expect: service_error runtime
# message: not a block
# host-calls: 1
Kobako.__dispatch("Host::Each", :call, [2], {}, 5)
