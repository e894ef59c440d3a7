# spec: L-07
# Each level is a host dispatch that yields back into the guest: the host
# stack and the guest stack grow together and must end cleanly (L-07).
# expect: sandbox_error SystemStackError | service_error | trap | memory_limit | timeout
def nest(n) = Host::Each.call(1) { nest(n + 1) }
nest(0)
