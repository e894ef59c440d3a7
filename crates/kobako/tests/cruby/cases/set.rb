# Set (built in since Ruby 3.2, no require needed).
Set.new([1, 2, 2, 3])
Set[1, 2, 3]
Set[1, 2, 3].size
Set[1, 2, 3].include?(2)
Set[1, 2, 3] === 2
Set[1, 2] | Set[2, 3]
Set[1, 2] & Set[2, 3]
Set[1, 2] - Set[2, 3]
Set[1, 2] ^ Set[2, 3]
Set[1, 2] + Set[3]
Set[1, 2].subset?(Set[1, 2, 3])
Set[1, 2] <= Set[1, 2, 3]
Set[1, 2, 3].superset?(Set[1])
Set[1, 2].disjoint?(Set[3])
Set[1, 2].intersect?(Set[2])
Set[1, 2] == Set[2, 1]
s = Set.new; s << 1 << 1 << 2; s
s = Set[1, 2]; s.add?(2)
s = Set[1, 2]; s.add?(3).size
s = Set[1, 2]; s.delete(1); s
Set[3, 1, 2].sort
Set[3, 1, 2].to_a
Set[1, 2, 3].map { _1 * 2 }
Set[1, 2, 3].map { _1 * 2 }.class
Set[1, 2, 3].select(&:odd?)
Set[1, 2, 3].select(&:odd?).class
Set[1, 2, 3].group_by(&:odd?)
Set[1, 2, 3].partition(&:odd?)
Set[1, 2, 3].sum
Set[1, 2, 3].min
Set[].empty?
Set[1, [2, 3]].flatten rescue :err
[1, 2, 2].to_set
[1, 2, 2].to_set.size
Set[1, 2].inspect
Set[1, 2].to_s
Set[].inspect
Set["a", :b].inspect
Set[1, 2].frozen?
Set[1, 2].freeze.frozen?
Set[1, 2].hash == Set[2, 1].hash
{Set[1] => :x}[Set[1]]
Set[1, 2, 3].each_slice(2).to_a
Set[1, 2, 3].classify(&:odd?)
Set[1, 2, 3].divide(&:odd?).size rescue :err
Set[1, 2].merge([3, 4])
Set[1, 2, 3].reject!(&:even?)
Set[1, 2, 3].delete_if(&:even?)
Set[1, 2].length
Set.new([1, 2]) { _1 * 10 }
Set[1, 2].first
Set[1, 2] <=> Set[1, 2, 3]
Set[1] < Set[1, 2]
Set[1, 2].proper_subset?(Set[1, 2])
Set[[1, 2]].include?([1, 2])
Set.new("a".."c")
Set[1, 2].join("-")
Set[1, 2].filter_map { _1 * 2 if _1 > 1 }
Set[1, 2].to_set.equal?(nil)
Set[1, 2].dup << 3
Set[1, 2].count(&:even?)
