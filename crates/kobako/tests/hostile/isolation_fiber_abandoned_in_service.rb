# spec: B-24
# A Fiber suspended before a dispatch, never resumed: nothing dangles.
# expect: ok
# value: :left
f = Fiber.new { Fiber.yield; Host::Each.call(3) { |x| x } }
f.resume
:left
