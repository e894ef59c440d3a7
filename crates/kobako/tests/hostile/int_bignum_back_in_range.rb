# spec: X-01
# expect: ok
# value: 5
2**64 - 2**64 + 5
