# spec: L-07
# A self-referential Array as a Hash key: hashing it must not crash.
# expect: sandbox_error SystemStackError | sandbox_error Kobako::SandboxError | trap | memory_limit | timeout | ok
a = []
a << a
h = { a => 1 }
h.size
