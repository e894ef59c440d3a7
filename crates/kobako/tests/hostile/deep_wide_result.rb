# spec: L-05
# Wide but shallow is fine.
# expect: ok
# value: 100000
Array.new(100_000) { |i| [i] }.size
