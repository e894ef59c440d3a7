# spec: E-07
# A `message` that never returns: reading the failure is guest code too,
# and the deadline still applies.
# expect: timeout
class Stuck < StandardError
  def message = loop {}
end
raise Stuck
