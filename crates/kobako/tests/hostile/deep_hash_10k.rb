# spec: L-05
# expect: sandbox_error Kobako::SandboxError
# message: 128
h = {}
10_000.times { h = { k: h } }
h
