# spec: B-12
# Keywords with no positional arguments, or after a splat, reach the service
# as keywords (mruby's method_missing used to get the wrong Hash: the call
# failed with TypeError or dropped the keywords).
# expect: ok
# value: [{a: 1}, [1, 2, {b: 2}], {c: 3}]
# host-calls: 3
rest = [1, 2]
[Host::Echo.call(a: 1), Host::Echo.call(*rest, b: 2), Host::Echo.call(**{ c: 3 })]
