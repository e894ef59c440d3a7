# spec: E-07
# A 10 MB message is clipped by the guest at 1 MiB.
# limits: memory=64MiB
# expect: sandbox_error RuntimeError
# message: (clipped)
raise "x" * 10_000_000
