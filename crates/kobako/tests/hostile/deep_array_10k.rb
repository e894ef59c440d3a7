# spec: L-05
# expect: sandbox_error Kobako::SandboxError
# message: 128
a = 1
10_000.times { a = [a] }
a
