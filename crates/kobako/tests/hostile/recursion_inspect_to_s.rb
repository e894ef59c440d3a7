# spec: L-07
# inspect and to_s calling each other through string interpolation.
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout
class Loopy
  def inspect = "<#{self}>"
  def to_s = inspect
end
Loopy.new.inspect
