# spec: E-04
# `puts` calls to_s in guest code; a to_s that never returns is stopped.
# expect: timeout
class Endless
  def to_s = loop {}
end
puts Endless.new
