# spec: E-07
# expect: sandbox_error Spiteful
class Spiteful < StandardError
  def message = raise("not telling")
end
raise Spiteful
