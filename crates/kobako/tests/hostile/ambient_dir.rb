# spec: S-01
# expect: sandbox_error NameError
# host-calls: 0
Dir.entries('/')
