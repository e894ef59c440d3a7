# Enumerable through a custom class and built-ins.
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).sort
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).map { |x| x * 2 }
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).min
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).sum
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).to_a
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).include?(2)
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).each_slice(2).to_a
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).sort_by { -_1 }
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).reduce(:+)
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).first
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).first(2)
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).lazy.map { _1 + 1 }.to_a
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).each_with_index.to_a
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).tally
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).zip([4, 5, 6])
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).min_by { -_1 }
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).each_entry.to_a
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).to_set rescue :noset
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).chunk_while { _2 == _1 + 1 }.to_a
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).sum { _1 * 2 }
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(3, 1, 2).uniq
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new.max
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(1, 2).minmax
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(1, 2).find_index(2)
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(1, 2).cycle.take(5)
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.new(1, 2).filter_map { _1 * 3 if _1 > 1 }
class NumBag; include Enumerable; def initialize(*a) = @a = a; def each(&b) = (@a.each(&b); self); end; NumBag.include?(Enumerable)
%w[a b c].each_with_index.map { |s, i| s * (i + 1) }
%w[a b c].each.with_index(1).map { |s, i| "#{i}:#{s}" }
[1, 2, 3, 4].each_slice(2).map(&:sum)
[4, 5].each_with_object({}) { |x, h| h[x] = x.to_s }
[1, 2, 3].inject { |a, b| a * b }
[1, 2, 3].sum { |x| x.to_f } / 3
(1..6).each_slice(2).to_a.transpose
[1, 2, 3].min_by { |x| (x - 2).abs }
["a", "bb", "ccc"].max_by(&:size)
[1, 2, 3, 4, 5].minmax_by { |x| x % 3 }
[3, 1, 2].sort.each_cons(2).all? { |a, b| a <= b }
[1, 2, 3].zip([4, 5, 6]).map { |a, b| a * b }.sum
[["a", 1], ["b", 2]].each_with_object({}) { |(k, v), h| h[k] = v }
[1, 2, 3].sum.then { _1 * 2 }
%w[x y z].each_with_index.max_by { |s, i| i }
[1, 2, 3, 4].find_all(&:even?)
[1, 2, 3, 4].filter(&:odd?)
[1, 2, 3, 4].reject(&:odd?)
[1, 2, 3].collect { _1 + 1 }
[[1, 2], [3, 4]].sum([])
%w[a b c].zip(1..3)
[1, 2, 3].chunk { |x| x.odd? }.to_a
%w[apple avocado banana].chunk { |w| w[0] }.map { |k, v| [k, v.size] }
[1, 1, 2, 3, 3].slice_when { |a, b| a != b }.to_a
[1, 2, 3, 4].slice_before(&:even?).to_a
[1, 2, 3, 4].slice_after(&:even?).to_a
[1, 2, 3].each_entry.map { _1 }
[1, 2, 3].to_set.size rescue :noset
["a", "b"].each_with_index.to_a
[1, 2, 3].lazy.select(&:odd?).map { _1 * 10 }.first(1)
(1..Float::INFINITY).lazy.select(&:even?).first(3)
(1..3).lazy.map { _1 * 2 }.force
(1..20).lazy.filter_map { _1 * 2 if _1.even? }.first(2)
(1..3).lazy.zip(4..6).to_a
(1..3).lazy.take_while { _1 < 3 }.to_a
(1..3).lazy.uniq.to_a
(1..3).lazy.compact.to_a
(1..3).lazy.with_index.map { |x, i| x * i }.to_a
(1..3).lazy.eager.class rescue :noeager
[1, 2, 3].sum { |x| x / 2.0 }
[5, 3, 4].sort.reverse.take(2)
%w[b c a].sort.each_slice(1).to_a.flatten
[1, 2, 3].zip
[[1, 2], [3, 4]].to_h.sum { |k, v| k * v }
[1, 2, 2, 3].uniq.size
[1, 2, 3].reduce(1, :*)
[1, 2, 3].each_with_index.max[1]
%w[a b c d].each_slice(2).to_h
[1, 2, 3].min(5)
[1, 2, 3].max_by(2) { -_1 }
[nil, 1, 2].min rescue :err
["b", "a"].minmax
[1, 2, 3, 4].sum.divmod(3)
[0.1, 0.2, 0.3].sum.round(10)
[1, 2, 3].count { _1 > 1 }
[1, 2, 3].group_by(&:odd?).transform_values(&:sum)
[1, 2, 3].partition.with_index { |x, i| i.zero? }
[1, 2, 3].each.next
[1, 2, 3].uniq { _1 % 2 }
