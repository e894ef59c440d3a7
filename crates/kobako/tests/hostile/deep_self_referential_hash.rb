# spec: E-10
# expect: sandbox_error Kobako::SandboxError
h = {}
h[:me] = h
h
