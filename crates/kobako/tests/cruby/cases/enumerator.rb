# Enumerator: external iteration, generators, chaining.
e = [1, 2, 3].each; [e.next, e.next, e.next]
e = [1, 2].each; e.next; e.next; e.next
e = [1, 2].each; e.next; e.peek
e = [1, 2, 3].each; e.next; e.rewind; e.next
e = Enumerator.new { |y| y << 1 << 2; y.yield 3 }; e.to_a
Enumerator.new { |y| 3.times { |i| y << i * i } }.to_a
fib = Enumerator.new { |y| a, b = 0, 1; loop { y << a; a, b = b, a + b } }; fib.take(10)
fib = Enumerator.new { |y| a, b = 0, 1; loop { y << a; a, b = b, a + b } }; fib.lazy.select(&:odd?).first(5)
Enumerator.new { |y| y << 1 }.size
Enumerator.produce(1) { |x| x * 2 }.take(5)
Enumerator.produce([0, 1]) { |a, b| [b, a + b] }.take(5).map(&:first)
[1, 2, 3].each.class
[1, 2, 3].map.class
[1, 2, 3].each.size
[1, 2, 3].each_slice(2).size
loop { break 42 }
e = [1].each; loop { e.next }; :done
e = [1, 2].each; r = []; loop { r << e.next }; r
[1, 2, 3].each.with_index(1).to_a
[1, 2, 3].map.with_index { |x, i| x * i }
[1, 2, 3].each.with_object([]).each { |x, acc| acc << x }
%w[a b c].each_with_index.to_a
[1, 2, 3].select.with_index { |x, i| i > 0 }
([1, 2].each + [3]).to_a
[1, 2].each.chain([3], 4..5).to_a
[1, 2].chain([3]).size
[4, 5].each_entry.to_a
(1..3).each_entry.to_a
"abc".each_char.next
"ab".each_char.with_index.map { |c, i| c * (i + 1) }
3.times.map { _1 * 2 }
5.times.select(&:even?)
1.upto(3).map { _1 }
1.step(by: 2).first(3)
1.step(10, 4).to_a
1.0.step(2.0, 0.25).to_a
e = [1, 2, 3].each_slice(2); e.next
e = [1, 2, 3].each; e.size
[1, 2, 3].cycle.lazy.map { _1 * 2 }.first(4)
(1..3).each_slice(2).include?([3])
e = Enumerator.new { |y| y.yield 1, 2 }; e.to_a
e = Enumerator.new { |y| y.yield 1, 2 }; e.next
[[1, 2], [3, 4]].each.next
Enumerator::Lazy.instance_method(:map).owner
(1..Float::INFINITY).lazy.map { _1 ** 2 }.reject(&:odd?).first(3)
(1..4).each_cons(2).map { |a, b| b - a }
[1, 2, 3].each.inspect
Enumerator.new { |y| y << 1 }.inspect.start_with?("#<Enumerator:")
[1, 2, 3].each_with_index.inspect
(1..3).lazy.map { _1 }.class
[3, 1, 2].sort_by.with_index { |x, i| -i }
%w[a b].cycle.take(5).join
ObjectSpace.respond_to?(:each_object)
Enumerator::Yielder.instance_methods(false).sort.first(2)
