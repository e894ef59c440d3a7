# spec: E-23
# Keyword names must be Symbols on the wire. The guest sends whatever Hash it
# is given, and the host stops the invocation as a wire violation (E-06),
# which the shipped guest must never cause.
# expect: sandbox_error ArgumentError | sandbox_error TypeError
# host-calls: 0
Kobako.__dispatch("Host::Echo", :call, [], { "a" => 1 }, nil)
