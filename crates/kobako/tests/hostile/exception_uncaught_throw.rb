# spec: E-07
# expect: sandbox_error UncaughtThrowError
throw :nowhere
