# spec: B-28
# break in the inner block ends only the inner call.
# expect: ok
# value: [[:inner_broke, :inner_broke], 3]
# host-calls: 4
outer = Host::Each.call(2) do |_|
  Host::Each.call(5) { |y| break :inner_broke if y == 1 }
  :inner_broke
end
[outer, Host::Echo.call(3)]
