# spec: S-01
# expect: sandbox_error NoMethodError
# host-calls: 0
IO.popen('id')
