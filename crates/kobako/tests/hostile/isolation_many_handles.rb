# spec: S-09
# Ten thousand Handles in one invocation.
# limits: timeout=10s memory=64MiB
# expect: ok
# value: 10000
Array.new(10_000) { Host::Objects.counter }.size
