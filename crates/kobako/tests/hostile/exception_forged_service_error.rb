# spec: T-02
# The script may raise Kobako::ServiceError itself: T-02 attributes it to
# "service", by class.
# expect: service_error
# message: forged
# host-calls: 0
raise Kobako::ServiceError, "forged"
