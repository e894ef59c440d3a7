# spec: B-06
# expect: sandbox_error Kobako::SandboxError
# message: Range
[1, { a: 1..2 }]
