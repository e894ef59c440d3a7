# spec: X-06
# Seeding in one invocation does not carry to the next (S-07).
# expect: ok
# then: rand(1_000_000) == Random.new(Random.new_seed).rand(1_000_000)
# then-expect: ok
# then-value: true
srand(12345)
rand
