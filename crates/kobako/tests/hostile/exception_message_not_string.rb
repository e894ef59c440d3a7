# spec: E-07
# expect: sandbox_error Odd
class Odd < StandardError
  def message = 42
end
raise Odd
