# spec: E-04
# Two contexts resuming each other forever.
# expect: timeout
fiber = Fiber.new { loop { Fiber.yield } }
loop { fiber.resume }
