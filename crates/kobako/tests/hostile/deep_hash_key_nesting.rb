# spec: L-05
# Depth hidden in Hash keys counts too.
# expect: sandbox_error Kobako::SandboxError
# message: 128
k = 0
200.times { k = { k => 1 } }
k
