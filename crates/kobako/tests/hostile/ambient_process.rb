# spec: S-01
# expect: sandbox_error NameError
# host-calls: 0
Process.kill(9, 1)
