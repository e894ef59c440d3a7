# spec: L-05
# A million levels: the encoder must refuse it without overflowing any stack.
# limits: memory=128MiB timeout=10s
# expect: sandbox_error Kobako::SandboxError
# message: 128
a = 1
1_000_000.times { a = [a] }
a
