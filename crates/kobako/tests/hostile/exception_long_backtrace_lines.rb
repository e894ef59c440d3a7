# spec: E-07
# A method name 10_000 bytes long makes every backtrace line huge.
# limits: memory=64MiB
# expect: sandbox_error RuntimeError
# backtrace: (clipped)
name = "m" * 10_000
Object.define_method(name) { raise "deep" }
send(name)
