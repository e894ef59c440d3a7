# Array.
[1, 2, 3]
[1, [2, [3, [4]]]].flatten
[1, [2, [3, [4]]]].flatten(1)
[3, 1, 2].sort
[3, 1, 2].sort.reverse
[3, 1, 2].sort { |a, b| b <=> a }
%w[pear fig apple].sort_by(&:length)
%w[pear fig apple].min_by(&:length)
%w[pear fig apple].max_by(&:length)
[1, 2, 3].sum
[1, 2, 3].sum(10)
[0.1, 0.2, 0.3].sum
["a", "b"].sum("")
[1, 2, 3].min
[1, 2, 3].max
[1, 2, 3].minmax
[].max
[5, 3, 9].max(2)
[5, 3, 9].min(2)
[1, 2, 2, 3, 3, 3].uniq
[1, 2, 3, 4].uniq { |x| x.even? }
[1, nil, 2, nil].compact
[1, 2, 3].reverse
[1, 2, 3].rotate
[1, 2, 3].rotate(-1)
[1, 2, 3].first
[1, 2, 3].first(2)
[1, 2, 3].last(2)
[1, 2, 3].take(2)
[1, 2, 3].drop(1)
[1, 2, 3, 4].take_while { |x| x < 3 }
[1, 2, 3, 4].drop_while { |x| x < 3 }
[1, 2, 3][5]
[1, 2, 3][-1]
[1, 2, 3][1..]
[1, 2, 3][1, 5]
[1, 2, 3][3, 1]
[1, 2, 3][4, 1]
[1, 2, 3].fetch(1)
[1, 2, 3].fetch(10)
[1, 2, 3].fetch(10, :none)
[1, 2, 3].fetch(10) { |i| i * 2 }
[1, 2, 3].dig(0)
[[1, [2]]].dig(0, 1, 0)
[1, 2, 3].values_at(0, 2, 4)
[1, 2, 3].include?(2)
[1, 2, 3].index(2)
[1, 2, 3].find_index { |x| x > 1 }
[1, 2, 3, 2].rindex(2)
[1, 2, 3].count(&:odd?)
[1, 2, 3] + [4]
[1, 2, 2, 3] - [2]
[1, 2] * 2
[1, 2] * ","
[1, 2, 3] & [2, 3, 4]
[1, 2] | [2, 3]
[1, 2, 3].union([4], [5])
[1, 2, 3].intersection([2, 3], [3])
[1, 2, 3].difference([1])
[1, 2].intersect?([2, 5])
[1, 2, 3].push(4)
[1, 2, 3] << 4
a = [1, 2, 3]; a.pop; a
a = [1, 2, 3]; a.shift; a
a = [1, 2, 3]; a.unshift(0); a
a = [1, 2, 3]; a.insert(1, :x); a
a = [1, 2, 3, 2]; a.delete(2); a
a = [1, 2, 3]; a.delete_at(1); a
a = [1, 2, 3, 4]; a.delete_if(&:even?); a
a = [1, 2, 3, 4]; a.reject!(&:even?)
a = [1, 3]; a.reject!(&:even?)
a = [1, 2, 3]; a.map! { |x| x * 10 }; a
a = [3, 1, 2]; a.sort!; a
a = [1, 2, 3]; a.clear; a
a = [1, 2, 3]; a.fill(0); a
Array.new(3)
Array.new(3, 0)
Array.new(3) { |i| i * i }
Array(nil)
Array([1])
Array(1..3)
Array("a")
[1, 2, 3].each_slice(2).to_a
[1, 2, 3, 4].each_cons(2).to_a
[1, 2, 3].each_with_index.map { |x, i| x * i }
[1, 2, 3].each_with_object([]) { |x, acc| acc << x * 2 }
[1, 2, 3].zip([4, 5, 6], [7, 8, 9])
[1, 2].product([3, 4])
[1, 2, 3].combination(2).to_a
[1, 2, 3].permutation(2).to_a
[1, 2, 3].permutation.count
[[1, 2], [3, 4]].transpose
[[1, :a], [2, :b]].to_h
[1, 2, 3].to_h { |x| [x, x * x] }
[1, 2, 3, 4].partition(&:even?)
[1, 2, 3, 4].group_by(&:odd?)
%w[a b a c a].tally
[1, 2, 3, 4].chunk_while { |a, b| b == a + 1 }.to_a
[1, 2, 4, 9, 10, 11, 12, 15].slice_when { |a, b| b != a + 1 }.to_a
[1, 2, 3].inject(:+)
[1, 2, 3].inject { |s, x| s * x }
[1, 2, 3].reduce(10) { |s, x| s + x }
[1, 2, 3].join("-")
[1, [2, [3]]].join(",")
[1, 2, 3].inspect
[1, 2, 3].to_s
[nil, true, "s", :sym, 1.5].inspect
[1, 2, 3].sample.class
[1, 2, 3].shuffle.size
[1, 2, 3].cycle.first(7)
[1, 2, 3].each_entry.to_a
[4, 5, 6].each.with_index(1).to_a
[1, 2, 3].filter_map { |x| x * 2 if x.odd? }
[[1, 2], [3]].flat_map { |x| x }
[1, 2, 3].sum { |x| x * x }
[1, 2, 3].all? { |x| x > 0 }
[1, 2, 3].any?(&:zero?)
[1, 2, 3].none?(4)
[1, 2, 3].one?(2)
[].all?
[].any?
[nil, false].any?
[1, "a", :b].grep(String)
%w[apple banana cherry].grep(/an/)
%w[apple banana cherry].grep_v(/an/)
[1, 2, 3].bsearch { |x| x >= 2 }
[1, 2, 3].pack("C*").bytes
[1, 2, 3] <=> [1, 2, 4]
[1, 2] == [1, 2]
[1, 2].eql?([1.0, 2.0])
[1, 2].frozen?
[1, 2].freeze.frozen?
[1, 2].freeze << 3
[].first
[].sum
[].inject(:+)
[3, 5, 2].sort.first
[1, 2, 3, 4, 5].each_slice(2).map(&:sum)
["x", "y"].each_with_index.to_h
[1, 2, 3].lazy.map { |x| x * 2 }.to_a
[3, 1, 2].max { |a, b| a <=> b }
[1, 2, 3].minmax_by { |x| -x }
[1, 2, 3].sort_by { |x| -x }
[[2, :b], [1, :a], [2, :a]].sort
["b", "A", "c"].sort_by(&:downcase)
["b", "A", "c"].sort(&:casecmp)
[1, 2, 3].step rescue :nostep
[1, 2, 3, 4, 5, 6].select.with_index { |_, i| i.even? }
[0, 1, 2].map.with_index(10) { |x, i| x + i }
[1, 2, 3].reverse_each.to_a
[[1, 2], [3, 4]].map { |a, b| a * b }
[[1, [2, 3]]].map { |a, (b, c)| a + b + c }
[1, 2, 3].then { |a, *| a }
[*1..3, *[4, 5]]
a, b, *c = [1, 2, 3, 4]; [a, b, c]
a, (b, c), d = 1, [2, 3], 4; [a, b, c, d]
*init, last = [1, 2, 3]; [init, last]
[1, 2, 3].assoc(2) rescue :no
[[1, :a], [2, :b]].assoc(2)
[[1, :a], [2, :b]].rassoc(:a)
[1, 2, 3].slice(1, 2)
a = [1, 2, 3, 4]; a.slice!(1, 2); a
[nil, 1, false].compact
[1, [2, nil]].flatten.compact
[1, 2, 3].count
[1, 2, 3].length
[[1, 2], [1, 3]].uniq(&:first)
["a", "b"].cycle(2).to_a
[1, 2, 3].sum / [1, 2, 3].size.to_f
[1, 2, 3].each_slice(2).to_h rescue :err
[3, 1, 2].sort!.first
[1, 2, 3].include?(2.0)
Array.new(2) { [] }.tap { |a| a[0] << 1 }
[1, 2, 3].keep_if(&:odd?)
[1, 2, 3].select!(&:odd?)
[1, 2, 3].find { |x| x > 5 }
[1, 2, 3].detect(&:even?)
[1, 2, 3, 4].each_slice(3).to_a.last
[1, 2] <=> [1, 2, 3]
[1, "a"].sort
["10", "9", "100"].sort
["10", "9", "100"].sort_by(&:to_i)
[1, 2, 3].sum.fdiv(3)
[0.1, 0.2, 0.3].sum == 0.6
[1e100, 1.0, -1e100].sum
[1, 2, 3] * 0
[[1, 2]].to_h { |a, b| [b, a] }
[1, Float::INFINITY].sum
[1, -Float::INFINITY, 2.0].sum
[2**1100, 1.0].sum
[3, Float::INFINITY, -Float::INFINITY].sum
