# spec: E-13
# An object crosses as its to_s (as Kobako 0.6.1 sends it), never as a
# Handle: the host sees a String.
# expect: ok
# value: ["#<Object>", true]
# host-calls: 1
echoed = Host::Echo.call(Object.new)
[echoed.sub(/:0x\h+/, ""), echoed.is_a?(String)]
