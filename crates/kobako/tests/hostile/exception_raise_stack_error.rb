# spec: E-07
# expect: sandbox_error SystemStackError
# message: fake
raise SystemStackError, "fake"
