# spec: L-07
# method_missing that sends the missing name to itself again.
# expect: sandbox_error SystemStackError | trap | memory_limit | timeout
class Mirror
  def method_missing(name, *args) = send(name, *args)
end
Mirror.new.anything
