# spec: X-01
# expect: sandbox_error RangeError
1e300.to_i
