# spec: S-03
# The runtime's entrypoint helper only looks up guest constants.
# expect: sandbox_error Kobako::SandboxError
# message: does not respond to call
# host-calls: 0
Kobako.__run_entry("Host", [], {})
