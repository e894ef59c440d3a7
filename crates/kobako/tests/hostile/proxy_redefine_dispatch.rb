# spec: S-03
# Replacing Kobako.__dispatch only hurts the script itself.
# expect: ok
# value: :hijacked
# host-calls: 0
# then: Host::Echo.call(7)
# then-expect: ok
# then-value: 7
module Kobako
  def self.__dispatch(*) = :hijacked
end
Host::Echo.call(1)
