# spec: E-10
# expect: sandbox_error Kobako::SandboxError
a = []
b = { a: a }
a << b
[a, b]
