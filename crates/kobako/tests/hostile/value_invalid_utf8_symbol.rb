# spec: B-06
# expect: sandbox_error Kobako::SandboxError
# message: Symbol
"\xff".to_sym
