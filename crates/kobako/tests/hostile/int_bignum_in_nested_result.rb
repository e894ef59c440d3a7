# spec: X-01
# expect: sandbox_error RangeError
{ list: [1, [2, -(2**63) - 1]] }
