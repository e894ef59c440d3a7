# spec: S-01
# expect: sandbox_error NameError
exit!
