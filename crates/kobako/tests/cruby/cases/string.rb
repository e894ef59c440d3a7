# String: building, slicing, searching, transforming, formatting.
"hello" + " " + "world"
"ab" * 3
"hello".length
"hello".upcase
"HeLLo".downcase
"hello world".capitalize
"Hello".swapcase
"hello"[1]
"hello"[1, 3]
"hello"[1..]
"hello"[-3..]
"hello"[10]
"hello"[1...-1]
"hello".slice(0, 2)
"hello".chars
"hello".bytes
"a,b,,c".split(",")
"a,b,,c,,".split(",")
"a,b,,c,,".split(",", -1)
"a b  c".split
"a-b-c".split("-", 2)
"abc".split("")
"hello world".split(/o/)
"  hi  ".strip
"  hi  ".lstrip
"  hi  ".rstrip
"xxhixx".delete("x")
"hello\n".chomp
"hello".chomp("lo")
"hello".chop
"hello".reverse
"hello".include?("ell")
"hello".start_with?("he")
"hello".end_with?("lo", "x")
"hello".index("l")
"hello".rindex("l")
"hello".index("z")
"hello".count("l")
"hello".sub("l", "L")
"hello".gsub("l", "L")
"hello".gsub(/[aeiou]/) { |v| v.upcase }
"hello".gsub(/l/, "l" => "1")
"hello world".tr("lo", "01")
"hello".tr("a-y", "b-z")
"aaabbb".squeeze
"hello".center(11, "*")
"hi".ljust(5, ".")
"hi".rjust(5, ".")
"42".rjust(5, "0")
"abc".succ
"az".succ
"zz".succ
"a9".succ
"abc".ord
"abc".sum
"hello" <=> "help"
"a" * 0
"abc".eql?("abc")
"abc".equal?("abc")
"abc" == :abc.to_s
"snake_case_words".split("_").map(&:capitalize).join
"CamelCaseString".gsub(/([A-Z])/) { "_" + $1.downcase }.sub(/^_/, "")
"hello %s, you are %d" % ["Bob", 30]
"%05.2f" % 3.14159
"%-5s|" % "ab"
"%x" % 255
"%08b" % 10
"%e" % 12345.678
"%s and %s" % %w[a b]
"%{a}-%{b}" % {a: 1, b: 2}
"%<x>.2f" % {x: 2.5}
"abc".freeze.frozen?
"abc".dup.frozen?
s = +"abc"; s << "def"; s
s = String.new("x"); s.concat("y", "z"); s
s = +"hello"; s[0] = "J"; s
s = +"hello"; s.insert(2, "XX"); s
s = +"hello"; s.prepend(">> "); s
s = +"hello"; s.replace("bye"); s
"hello".each_char.to_a
"a\nb\nc".lines
"a\nb\nc".each_line.map(&:chomp)
"hello world".scan(/o./)
"a1b22c333".scan(/\d+/)
"key=val; k2=v2".scan(/(\w+)=(\w+)/)
"hello"=~ /ll/
"hello".match?(/L/i)
"title case here".split.map(&:capitalize).join(" ")
"abc".each_byte.to_a
"%.3s" % "abcdef"
"abc".to_sym
"12.5".to_f
"0x1f".hex
"777".oct
"1e3".to_f
"3 apples".to_i
"hello"*2 + "!"
"Hello World".delete("l")
"hello".start_with?(/h.l/)
"ab".casecmp("AB")
"ab".casecmp?("AB")
"hello world".partition(" ")
"a.b.c".rpartition(".")
"hello".each_char.with_index.map { |c, i| "#{i}#{c}" }.join
"ruby is fun".split.map(&:length)
"abc".unpack("C*")
[104, 105].pack("C*")
"hello".unpack1("a3")
"Hello"[0].upcase + "Hello"[1..].downcase
"hello".delete_prefix("he")
"hello".delete_suffix("lo")
"  a  b  ".squeeze(" ").strip
"ab\tc".expand_tabs rescue "ab\tc".gsub("\t", "  ")
"line1\r\nline2".lines.map(&:chomp)
"hello".then { |s| s.upcase }
"abc".between?("abb", "abd")
"hello world how are you".split.each_slice(2).map { |a| a.join(" ") }
"text".encoding.to_s
"a".upto("e").to_a
"hello".ljust(3)
"".empty?
" ".empty?
"abc" < "abd"
"abc".hash == "abc".hash
"%c" % 65
"%%" % []
"%+d" % 5
"% d" % 5
"%10.4f|" % Math::PI
"%-10s|" % "left"
"%o" % 8
"%X" % 255
"%#x" % 255
"%.2e" % 0.000123
"%g" % 1234567.0
"%g" % 0.00001234
"%s" % nil
"%p" % [nil]
"%5.1f%%" % 99.55
"hello"[1] = "a" rescue "frozen"
"abc".then { _1 * 2 }
"str: #{1 + 1}"
"nested #{"in #{:ner}"}"
'single #{not}'
"tab\tend"
"quote\"d"
"null\0byte".size
"\u00e9"
"\e[1m".size
"a" "b" "c"
%w[x y z]
%i[x y z]
"Hello".sum
"hello world".each_char.tally.max_by { |_, v| v }
"The quick brown fox".split.max_by(&:length)
"madam".then { |w| w == w.reverse }
"hello".each_char.select { |c| "aeiou".include?(c) }.size
"ab12cd".tr("^0-9", "")
"ab12cd".delete("^0-9")
"hello".squeeze("l")
"%s" % [[1, 2]]
"a%sb" % "X"
"Ruby".ljust(10, "-") + "|"
"x".encoding
"abc".force_encoding("ASCII-8BIT").encoding
"hello".slice!(1) rescue "frozen"
s = +"hello"; s.slice!(1..2); s
s = +"hello"; s.upcase!; s
s = +"HELLO"; s.downcase!
s = +"hello"; s.downcase!
s = +"a-b"; s.tr!("-", "_"); s
s = +" x "; s.strip!; s
"test".sub!("x", "y") rescue "frozen"
"abc".sub(/b/) { |m| m.upcase * 2 }
"John Smith".sub(/(\w+) (\w+)/, '\2, \1')
"John Smith".sub(/(?<first>\w+) (?<last>\w+)/, '\k<last> \k<first>')
"hello"[/l+/]
"hello"[/(h)(e)/, 2]
"2024-01-15"[/(\d+)-(\d+)-(\d+)/, 3]
"ab".ord
"".ord
"abc".start_with?("")
"abc" =~ /z/
"Straße".upcase
"ÀÉÎ".downcase
"hello world".capitalize
"o'neil".capitalize
"HELLO".capitalize
"abc".to_c
"3/4".to_r
"hello" "world"
"a".."e"
("a".."e").to_a
("aa".."ad").to_a
"abc".chars.rotate
"The End".size
"abcdef".each_slice(2) rescue "abcdef".chars.each_slice(2).map(&:join)
"abcdef".chars.each_slice(2).map(&:join)
"hello".intern
"snake_case".tr("_", " ")
