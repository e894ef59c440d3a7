# spec: B-24
# Fiber.yield from a block the host is running cannot cross the host frame.
# expect: service_error runtime
# message: FiberError
f = Fiber.new { Host::Each.call(3) { |x| Fiber.yield(x) } }
[f.resume, f.resume]
