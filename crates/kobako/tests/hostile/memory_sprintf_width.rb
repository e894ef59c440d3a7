# spec: E-05
# expect: memory_limit | sandbox_error ArgumentError
format("%0100000000d", 1)
