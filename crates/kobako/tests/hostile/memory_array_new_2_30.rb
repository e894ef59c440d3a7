# spec: E-05
# 2**30 slots: mruby refuses the size before allocating anything.
# expect: sandbox_error IndexError | sandbox_error ArgumentError | memory_limit
Array.new(2**30)
