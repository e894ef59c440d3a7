# spec: X-01
# expect: sandbox_error RangeError
# message: 9223372036854775807
2**64
