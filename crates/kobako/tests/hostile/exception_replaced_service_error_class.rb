# spec: T-02
# A look-alike class named Kobako::ServiceError is not the real one: origin
# is decided by class identity, so this stays a sandbox error.
# expect: sandbox_error Kobako::ServiceError
Kobako.send(:remove_const, :ServiceError)
Kobako.const_set(:ServiceError, Class.new(StandardError))
raise Kobako::ServiceError, "look-alike"
