# spec: E-05
# 2**28 slots (2 GiB): a single growth far over the cap.
# expect: memory_limit
Array.new(2**28)
