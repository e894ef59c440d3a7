# spec: L-08
# mruby's compiler is quadratic in the number of methods one scope defines:
# compiling this takes seconds, so the corpus's timeout stops it.
# limits: memory=256MiB
# expect: timeout
src = (0...40_000).map { |i| "def m#{i}; #{i}; end\n" }.join
eval(src)
