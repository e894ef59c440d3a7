# spec: B-04
# The guest's raw writer only takes fd 1 and 2.
# expect: ok
# value: ["ArgumentError", "ArgumentError", "ArgumentError"]
[0, 3, -1].map do |fd|
  Kobako.__write(fd, "x")
rescue => e
  e.class.name
end
