# Range.
(1..5).to_a
(1...5).to_a
(1..10).step(3).to_a
(1.0..2.0).step(0.5).to_a
1.step(2.0, 0.5).to_a
("a".."e").to_a
(1..10).include?(5)
(1..10).cover?(2..3)
(1..10) === 5
(1..).first(3)
(..5).include?(3)
(1..nil).end
(1..5).sum
(1..100).sum
(1..5).reduce(:*)
(1..5).size
(1...5).size
(1.0..2.0).size rescue :err
(1..5).count
(1..5).min
(1..5).max
(1...5).max
(5..1).to_a
(1..5).map { |x| x * 2 }
(1..10).select(&:even?)
(1..10).each_slice(3).to_a
(1..3).each_cons(2).to_a
(1..4).inject(:+)
(1..5).first
(1..5).last
(1..5).last(2)
(1..5).minmax
(1..5).to_a.reverse
(1..5).reverse_each.first(2)
(1..5).step(2).map { |x| x }
(1..5).%(2).to_a
(1..10).find { |i| i % 3 == 0 }
(1..3).zip(4..6)
(1..3).each_with_object([]) { |i, a| a.unshift(i) }
(1..3).to_a.product([0])
(1..3).inspect
(1...3).inspect
(1..).inspect
(..1).inspect
("a".."c").inspect
(1..3).to_s
(1..3) == (1..3)
(1..3).eql?(1..3)
(1..3).hash == (1..3).hash
(1..3).frozen?
Range.new(1, 3, true)
(1..3).exclude_end?
(1..10).begin
(1..10).end
(1..0).to_a
(1..0).sum
(1..10).count(&:even?)
(0...10).each_slice(4).map(&:sum)
(1..Float::INFINITY).lazy.map { |x| x * 2 }.select { |x| x % 3 == 0 }.first(3)
(1..).each_slice(2).first(2)
(1..3).cycle.first(7)
(1..20).partition(&:odd?).map(&:size)
(1..6).group_by { |i| i % 3 }
(1..6).chunk { |i| i.even? }.to_a
(1..4).flat_map { |i| [i] * i }.tally
(1..5).each_entry.to_a
("a".."zz").count
("A".."Z").to_a.join
(1.5..3.5).include?(2)
(1..10).bsearch { |x| x >= 7 }
(1..3).overlap?(3..5)
(1...3).overlap?(3..5)
(1..10) % 3
(1..10).step(3).class
("a".."e").step(2).to_a
(1..3).sum { |x| x * 10 }
(1..Float::INFINITY).size
(1..).size
(1..3).to_set rescue :noset
(1..5).clamp(2, 3) rescue 3.clamp(1..2)
7.clamp(1..5)
7.clamp(..5)
(1..10).minmax_by { |x| (x - 5).abs }
(1..5).each_with_index.select { |x, i| i.odd? }.map(&:first)
