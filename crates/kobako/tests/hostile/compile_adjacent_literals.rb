# spec: L-08
# Adjacent string literals were quadratic in mruby 3.2's parser; 4.0 joins
# 8,000 pairs of 48-byte literals in linear time, well inside the caps.
# limits: memory=64MiB timeout=5s
# expect: ok
# value: [8000, 96]
lit = '"' + 'a' * 48 + '"'
src = "x = [" + (["#{lit} #{lit}"] * 8_000).join(",\n") + "]\n[x.size, x[0].size]"
eval(src)
