# spec: S-03
# Handle#method_missing redirected to a path that is not bound.
# expect: service_error undefined
# host-calls: 1
class Kobako::Handle
  def method_missing(name, *args) = Kobako.__dispatch("Host::Vault", name, args, {}, nil)
end
Host::Objects.counter.incr
