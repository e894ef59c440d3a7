# spec: B-13
# expect: ok
# value: [true, Infinity]
# host-calls: 2
[Host::Echo.call(Float::NAN).nan?, Host::Echo.call(Float::INFINITY)]
