# spec: L-07
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout
Object.define_method(:again) { again }
again
