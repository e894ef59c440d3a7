# spec: L-08
# The compiler's memory grows far faster than its source: 20,000 one-line
# methods (1.4 MB) need more than the corpus's 4 MiB. Compiling in the guest
# is charged like any other work.
# expect: memory_limit
src = (0...20_000).map { |i| "def m#{i}; 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' + '#{i}'; end\n" }.join
eval(src)
