# spec: E-07
# expect: sandbox_error
# message: anonymous
raise Class.new(StandardError), "anonymous"
