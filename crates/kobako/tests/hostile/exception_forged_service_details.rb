# spec: T-02
# The script can also forge a fault's category: the host sees a Service
# error of category "undefined" although no Service was called.
# expect: service_error undefined
# message: made up
# host-calls: 0
e = Kobako::ServiceError.new("made up")
e.instance_variable_set(:@__kobako_details, { "type" => "undefined" })
raise e
