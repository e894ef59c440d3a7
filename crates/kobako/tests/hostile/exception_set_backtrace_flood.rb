# spec: E-07
# A backtrace set by the script: 100_000 lines of 10 KB each (~1 GB if
# copied naively) must be clipped.
# limits: memory=64MiB
# expect: sandbox_error RuntimeError
# backtrace: (clipped)
line = "b" * 10_000
e = RuntimeError.new("many lines")
e.set_backtrace(Array.new(100_000, line))
raise e
