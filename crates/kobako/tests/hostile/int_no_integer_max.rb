# spec: X-01
# expect: sandbox_error NameError
Integer::MAX + 1
