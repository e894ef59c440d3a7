# spec: X-06
# expect: ok
# repeat: same
[rand(1_000_000), Random.new.rand(1_000_000), [1, 2, 3, 4, 5].shuffle, Random.new_seed, Kobako.__entropy]
