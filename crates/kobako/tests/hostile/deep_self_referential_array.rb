# spec: E-10
# expect: sandbox_error Kobako::SandboxError
a = []
a << a
a
