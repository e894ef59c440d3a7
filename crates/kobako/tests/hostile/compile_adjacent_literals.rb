# spec: L-08
# Adjacent string literals were quadratic in mruby 3.2's parser; 8,000
# pairs of 48-byte literals must end under the caps either way.
# limits: memory=64MiB
# expect: ok | memory_limit | timeout
lit = '"' + 'a' * 48 + '"'
src = "x = [" + (["#{lit} #{lit}"] * 8_000).join(",\n") + "]\nx.size"
eval(src)
