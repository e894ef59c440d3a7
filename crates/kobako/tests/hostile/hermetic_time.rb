# spec: X-06
# expect: ok
# value: [0, 0.0]
# repeat: same
t = Time.now
100_000.times {}
[t.to_i, Time.now - t]
