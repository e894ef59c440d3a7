# spec: S-04
# ObjectSpace finds only this invocation's Handles, and each one works.
# expect: ok
# value: [2, [1, 1]]
a = Host::Objects.counter
b = Host::Objects.counter
found = []
ObjectSpace.each_object(Kobako::Handle) { |h| found << h }
[found.size, found.map(&:incr)]
