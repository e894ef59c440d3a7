# spec: B-06
# expect: ok
# value: [NaN, Infinity, -Infinity, -0.0]
[0.0 / 0.0, Float::INFINITY, -Float::INFINITY, -0.0]
