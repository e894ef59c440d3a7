# Symbol.
:abc
:abc.to_s
:abc.to_proc.call("x") rescue :err
%w[a b].map(&:upcase)
:"with space"
:"with space".inspect
:a <=> :b
:abc.length
:abc.size
:abc.upcase
:Abc.downcase
:abc.capitalize
:abc.succ
:abc[1]
:abc.start_with?("a")
:abc.end_with?("c")
:abc == "abc".to_sym
:abc.equal?(:abc)
:"foo=".inspect
:foo?
:foo!
:[]
:+
:<=>
:"9x"
:"@iv"
:@iv
:$gv
:Const
"hello world".to_sym
:a.frozen?
%i[a b c].map(&:to_s)
[:b, :a, :c].sort
:abc.to_proc.call("abc") rescue :err
[1, 2, 3].map(&:to_s)
[[1, 2], [3, 4]].map(&:sum)
:abc.encoding
:"é".encoding
:abc.empty?
:"".empty?
:a.is_a?(Comparable)
{"a" => 1}.transform_keys(&:to_sym)
:name.then { "#{_1}=" }.to_sym
[:x, :y].zip([1, 2]).to_h
:abc.id2name
:abc.name
:abc.name.frozen?
