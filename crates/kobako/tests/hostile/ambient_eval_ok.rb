# spec: S-01
# expect: ok
# value: [2, nil]
[eval("1 + 1"), __method__]
