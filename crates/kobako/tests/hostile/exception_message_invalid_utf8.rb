# spec: E-07
# expect: sandbox_error RuntimeError
# message: bad bytes
raise "\xff\xfe bad bytes"
