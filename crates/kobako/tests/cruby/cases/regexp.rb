# Regexp and MatchData.
/ab+c/.match?("xabbbcx")
"xabbbcx" =~ /ab+c/
/(\d+)-(\d+)/.match("tel 555-1234")
/(\d+)-(\d+)/.match("tel 555-1234")[0]
/(\d+)-(\d+)/.match("tel 555-1234")[2]
/(\d+)-(\d+)/.match("tel 555-1234").captures
/(\d+)-(\d+)/.match("tel 555-1234").pre_match
/(\d+)-(\d+)/.match("tel 555-1234").post_match
/(\d+)-(\d+)/.match("tel 555-1234 x").post_match
/(\d+)-(\d+)/.match("tel 555-1234").begin(0)
/(\d+)-(\d+)/.match("tel 555-1234").end(2)
/(\d+)-(\d+)/.match("tel 555-1234").offset(1)
/(\d+)-(\d+)/.match("tel 555-1234").to_a
/(\d+)-(\d+)/.match("tel 555-1234").size
/(?<year>\d{4})-(?<mon>\d\d)/.match("on 2024-05-01")[:year]
/(?<year>\d{4})-(?<mon>\d\d)/.match("on 2024-05-01")["mon"]
/(?<year>\d{4})-(?<mon>\d\d)/.match("on 2024-05-01").named_captures
/(?<year>\d{4})-(?<mon>\d\d)/.match("on 2024-05-01").names
/(?<year>\d{4})-(?<mon>\d\d)/.names
/(?<year>\d{4})-(?<mon>\d\d)/.match("on 2024-05-01").deconstruct_keys([:year])
if /(?<y>\d+)/ =~ "a 42 b" then y end
/x/.match("abc")
/x/ =~ "abc"
"abc" !~ /x/
"foo bar baz".scan(/\w+/)
"foo bar baz".scan(/(\w)(\w)/)
"a1b2".gsub(/\d/) { |d| (d.to_i * 2).to_s }
"a1b2".gsub(/(?<d>\d)/, '<\k<d>>')
"a1b2".gsub(/\d/, "1" => "one", "2" => "two")
"hello world".sub(/(\w+) (\w+)/, '\2 \1')
"hello".gsub(/l/, "L")
"path/to/file.rb".sub(/\.rb\z/, ".py")
"CamelCase".gsub(/([a-z])([A-Z])/, '\1_\2').downcase
"a.b.c".split(/\./)
"a1b22c".split(/\d+/)
"a1b22c".split(/(\d+)/)
"abc".match(/(?<first>.)/) { |m| m[:first] * 3 }
/a/i.match?("A")
/a.c/m.match?("a\nc")
/a.c/.match?("a\nc")
/a b/x.match?("ab")
/\Aab\z/.match?("ab\n")
/\Aab\Z/.match?("ab\n")
/^b/.match?("a\nb")
/\bword\b/.match?("a word here")
/colou?r/.match?("color")
/\d{3,}/.match("12 1234")[0]
/<.+?>/.match("<a><b>")[0]
/<.+>/.match("<a><b>")[0]
/(a)|(b)/.match("b").captures
/(a)?b/.match("b")[1]
/[[:alpha:]]+/.match("123abc456")[0]
/\p{Alpha}+/.match("123abc456")[0]
/\h+/.match("xyz09afg")[0]
/(?i)abc/.match?("ABC")
/(?=b)/.match("abc").begin(0)
/(?<=a)b/.match?("ab")
/(?<!a)b/.match?("ab")
/(\w)\1/.match("hello")[0]
/é+/.match("caféé")[0]
"café".index(/é/)
"日本語テキスト" =~ /テ/
"日本語"[/本./]
Regexp.escape("a.b*c?")
Regexp.union("a.b", /c|d/)
Regexp.union(%w[cat dog]).source
Regexp.new("a+b").match?("aab")
Regexp.new("a+", Regexp::IGNORECASE).match?("AA")
Regexp.new("(")
/a+/.source
/a+/i.options
/a+/mix.inspect
/a\/b/.inspect
/a+/.to_s
%r{/path/(\d+)}.match("/path/42")[1]
/x/ == /x/
/x/.frozen?
"abc".match?(/B/i)
"1,2;3".split(/[,;]/).map(&:to_i)
"John: 25, Jane: 30".scan(/(\w+): (\d+)/).to_h
"aaa".gsub(/a/).with_index.map { |m, i| i } rescue :err
"phone: +1 (555) 123-4567".gsub(/\D/, "")
"  many   spaces  ".gsub(/\s+/, " ").strip
"hello world"[/w\w+/]
"snake_case_here".gsub(/_(\w)/) { $1.upcase }
"x-1, y-22".gsub(/(\w)-(\d+)/) { "#{$2}#{$1}" }
"abc" =~ /b/; $~[0]
"abc" =~ /(b)/; $1
"abc" =~ /(b)/; [$`, $']
"abc" =~ /z/; $~
"test123".match(/\d+/).then { _1[0].to_i }
m = "2024-05-01".match(/(\d+)-(\d+)-(\d+)/); m.values_at(1, 3)
m = "key: value".match(/(?<k>\w+): (?<v>\w+)/); [m[:k], m[:v]]
md = /(.)(.)/.match("ab"); md.to_a.map(&:upcase)
case "hello123" when /^\d+$/ then :digits when /^[a-z]+\d+$/ then :alnum end
"ABC" =~ /b/i
"foo.bar".match?(/\A[\w.]+\z/)
"user@example.com".match?(/\A[^@\s]+@[^@\s]+\.[a-z]{2,}\z/)
/(\d+)/.match("a1b2", 2)[1]
"a1b2c3".scan(/[a-z]\d/).join("|")
"The Cat sat".gsub(/\b(\w)/) { $1.upcase }
"tic-tac-toe".tr("-", " ").split.map { _1.capitalize }.join
"Hello World".swapcase.gsub(/o/i, "0")
/a{2}/.match?("caab")
"aaa".sub(/a*?/, "X")
"ab12".sub(/(?<letters>[a-z]+)/) { $~[:letters].upcase }
"2 + 3".match(/(\d+) \+ (\d+)/).captures.map(&:to_i).sum
/\s/.match?("\t")
"abc".each_char.grep(/[ac]/)
"MatchData".match(/a/).class
/(?<n>x)/.match("x").inspect
/(x)(y)?/.match("x").inspect
"foo" =~ /(?<bar>o+)/; bar rescue :unset
Regexp.last_match.nil? rescue :err
"abc".match(/b/).string
/b/.match("abc").regexp
"hello"=~/l+/ && $~.offset(0)
Regexp::IGNORECASE | Regexp::MULTILINE
