# spec: S-01
# expect: sandbox_error NameError
# host-calls: 0
IO.popen('id')
