# spec: S-03
# Reopening the proxy class to aim every call at a path that is not bound.
# expect: service_error undefined
# message: Host::Secret
# host-calls: 0
class Kobako::ServiceProxy
  def self.method_missing(name, *args, **kwargs, &block)
    Kobako.__dispatch("Host::Secret", name, args, kwargs, block)
  end
end
Host::Echo.hello
