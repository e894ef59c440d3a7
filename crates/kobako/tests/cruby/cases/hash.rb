# Hash.
{a: 1, b: 2}
{"k" => 1, 2 => [3]}
{a: 1}.inspect
{"a b": 1}
{nil => 1, true => 2, 1.5 => 3}
{:"a-b" => 1, :c? => 2, :d! => 3, :e= => 4}
{a: {b: {c: 1}}}.dig(:a, :b, :c)
{a: 1}[:b]
{a: 1}.fetch(:a)
{a: 1}.fetch(:b)
{a: 1}.fetch(:b, 0)
{a: 1}.fetch(:b) { |k| k.to_s }
{a: 1, b: 2}.keys
{a: 1, b: 2}.values
{a: 1, b: 2}.to_a
{a: 1, b: 2}.size
{a: 1, b: 2}.key?(:a)
{a: 1, b: 2}.value?(2)
{a: 1, b: 2}.key(2)
{a: 1, b: 2}.invert
{a: 1, b: 2}.map { |k, v| [k, v * 2] }.to_h
{a: 1, b: 2}.to_h { |k, v| [v, k] }
{a: 1, b: 2}.transform_values { |v| v * 10 }
{a: 1, b: 2}.transform_keys(&:to_s)
{a: 1, b: 2}.transform_keys(a: :x)
{a: 1, b: 2, c: 3}.select { |k, v| v > 1 }
{a: 1, b: 2, c: 3}.filter_map { |k, v| k if v.odd? }
{a: 1, b: 2, c: 3}.reject { |k, v| v > 1 }
{a: 1, b: 2, c: 3}.slice(:a, :c)
{a: 1, b: 2, c: 3}.except(:b)
{a: 1, b: 2}.merge({b: 3, c: 4})
{a: 1, b: 2}.merge({b: 3}) { |key, old, new| old + new }
{a: 1}.merge({b: 2}, {c: 3})
{a: 1, b: 2}.min_by { |k, v| v }
{a: 1, b: 2}.sort_by { |k, v| -v }
{a: 1, b: 2}.sort_by { |k, v| -v }.to_h
{b: 1, a: 2}.sort.to_h
{a: 1, b: 2}.sum { |k, v| v }
{a: 1, b: 2}.count { |k, v| v.even? }
{a: 1, b: 2}.find { |k, v| v == 2 }
{a: 1, b: 2}.any? { |k, v| v > 1 }
{a: 1, b: 2}.all? { |(k, v)| v > 0 }
{a: 1, b: 2}.each_with_object({}) { |(k, v), h| h[v] = k }
{a: 1, b: 2}.reduce(0) { |s, (k, v)| s + v }
{a: 1, b: 2}.group_by { |k, v| v.odd? }
{a: 1, b: 2}.partition { |k, v| v.odd? }
{a: 1, b: 2}.each_with_index.map { |(k, v), i| "#{k}#{v}#{i}" }
{a: 1, b: 2}.filter_map { |k, v| k if v > 1 }
{a: 1, b: 2}.min_by(2) { |_, v| -v }
{a: 1}.to_a.flatten
{a: 1, b: nil}.compact
{a: 1}.empty?
{}.empty?
{a: 1} == {a: 1.0}
{a: 1, b: 2} == {b: 2, a: 1}
{a: 1}.eql?({a: 1})
h = Hash.new(0); "hello".each_char { |c| h[c] += 1 }; h
h = Hash.new { |hash, k| hash[k] = k * 2 }; h[3]; h
h = Hash.new { |hash, k| hash[k] = [] }; h[:x] << 1; h[:y] << 2; h
Hash.new(5)[:missing]
Hash.new(5).fetch(:missing, 6)
h = {a: 1}; h[:b] = 2; h
h = {a: 1, b: 2}; h.delete(:a); h
h = {a: 1, b: 2}; h.delete(:z)
h = {a: 1}; h.store(:c, 3); h
h = {a: 1, b: 2}; h.delete_if { |k, v| v == 1 }; h
h = {a: 1, b: 2}; h.keep_if { |k, v| v == 1 }; h
h = {a: 1}; h.update(b: 2); h
h = {b: 1, a: 2}; h.shift; h
h = {a: 1}; h.default = 0; h[:z]
h = {}; h[[1, 2]] = :arr; h[[1, 2]]
h = {a: 1, b: 2}; h.to_a.transpose
Hash[[[:a, 1], [:b, 2]]]
Hash[:a, 1, :b, 2]
[[:a, 1]].to_h
{a: 1}.frozen?
{a: 1}.freeze[:b] = 1
{a: 1}.dig(:a, :b)
{a: [10, 20]}.dig(:a, 1)
{a: 1, b: 2}.each_pair.to_a
{a: 1, b: 2}.keys.map(&:to_s)
{a: 1, b: 2}.values_at(:a, :z)
{a: 1, b: 2}.fetch_values(:a, :b)
{a: 1, b: 2}.fetch_values(:a, :z)
{a: 1, b: 2}.filter_map { |k, v| [k, v] if v > 1 }.to_h
{a: 1, b: 2}.max_by { |_, v| v }&.first
{a: 2, b: 1}.sort_by(&:last).map(&:first)
{a: 1}.to_s
{1 => "a"}.to_s
{"x" => {"y" => [1, {"z" => nil}]}}
{a: :b}
{a: "b"}
{"a" => :b}
{a: 1}.inspect.length
{a: 1}.assoc(:a)
{a: 1}.rassoc(1)
{a: 1, b: 2}.flat_map { |k, v| [k] * v }
{a: 1, b: 2}.each_slice(1).to_a
{a: 1, b: 2}.count
{a: 1, b: 2}.sum([])
{a: 1}.merge!(a: 2) { |_, o, n| [o, n] }
x = 1; y = 2; {x:, y:}
{a: 1}.has_key?(:a)
{a: 1}.member?(:a)
{a: 1}.include?(1)
h = {a: 1}; h.compare_by_identity; h.compare_by_identity?
{a: 1, b: 2}.find_all { |k, v| v > 0 }.size
{b: 2, a: 1}.min
{a: 1, b: 2}.sort_by { |k, _| k }.reverse.to_h
{a: 1, b: 2}.entries
{a: 1}.any?
{a: nil}.any? { |k, v| v }
{a: 1, b: 2}.each_entry.to_a rescue :no
{a: 1, b: 2}.lazy.map { |k, v| v }.to_a
%w[a b c].each_with_index.to_h
%w[apple banana avocado].group_by { |w| w[0] }
%w[apple banana avocado].group_by { |w| w[0] }.transform_values(&:count)
%w[a b a].tally.sort_by { |k, v| [-v, k] }
%w[a b a].each_with_object(Hash.new(0)) { |w, h| h[w] += 1 }
{a: 1}.to_h { |k, v| [k.to_s, v] }
{a: 1, b: 2}.filter { |k, v| v == 2 }
{a: 1, "b" => 2, 3 => 4}.keys.map(&:class)
{a: 1}.default
Hash.new(1).default
{a: 1}.hash == {a: 1}.hash
{a: {b: 1}}.to_a
{a: 1, b: 2}.reject! { |_, v| v > 5 }
{a: 1, b: 2}.select! { |_, v| v > 5 }
{a: 1, b: 2}.sum { _2 }
{a: 1, b: 2}.map { "#{_1}=#{_2}" }.join("&")
{a: 1, b: 2}.map { |pair| pair }
{a: 1, b: 2}.each { |k| }
h = {}; {a: 1, b: 2}.each { |k, v| h[v] = k }; h
