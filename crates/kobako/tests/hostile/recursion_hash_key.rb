# spec: L-07
# A self-referential Array as a Hash key: hashing it must not crash. In
# this guest hashing it completes, so the Hash is built.
# expect: ok
# value: 1
a = []
a << a
h = { a => 1 }
h.size
