# spec: E-10
# A result over the 16 MiB message limit is refused, naming the limit.
# limits: memory=128MiB
# expect: sandbox_error Kobako::SandboxError
# message: 16 MiB
"x" * (17 << 20)
