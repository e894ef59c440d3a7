# Control flow, operators, literals, assignment, strings of everyday scripts.
x = 5; if x > 3 then :big else :small end
x = 5; x > 3 ? :big : :small
x = nil; x || :default
x = false; x.nil?
x = nil; x ||= 5; x
x = 3; x ||= 5; x
x = 3; x &&= x + 1; x
x = nil; x&.length
"abc"&.length
a = [1, 2]; a[5] ||= 0; a
h = {}; h[:k] ||= []; h[:k] << 1; h
unless false then :ran end
:done if true
:never if false
x = 0; x += 1 while x < 10; x
x = 0; x += 1 until x >= 7; x
r = []; for i in 1..3 do r << i * 2 end; r
for i in 1..3 do end; i
r = []; i = 0; while true; i += 1; next if i.odd?; break if i > 6; r << i; end; r
i = 0; begin; i += 1; end while i < 3; i
loop do break :out end
r = []; 1.step(10, 3) { r << _1 }; r
r = []; 3.downto(1) { r << _1 }; r
case 5 when 1..3 then :low when 4..6 then :mid else :high end
case "hello" when /^h/ then :h when String then :s end
case 5 when Integer, Float then :num end
case :x when :y then 1 end
case when 1 > 2 then :a when 2 > 1 then :b end
x = case 3 when 1 then :one else :other end; x
a, b = 1, 2; a, b = b, a; [a, b]
a, b = [1, 2, 3]; [a, b]
a = *1..3; a
a, = [9, 8]; a
first, *, last = 1, 2, 3, 4; [first, last]
h, = {a: 1}.to_a; h
def multi = [1, 2]; a, b = multi; a + b
def default_args(a, b = a * 2, c = b + 1) = [a, b, c]; default_args(1)
def splat(*a) = a; splat(*[1, 2], 3, *nil)
def ret_multi = return 1, 2; ret_multi
def q? = true; q?
def bang! = :bang; bang!
def setter=(v); @v = v; end; self.setter = 5
def endless(x) = x * 2; endless(21)
def with_rescue; Integer("x"); rescue ArgumentError; :rescued; end; with_rescue
def implicit_nil; end; implicit_nil
def recurse(n) = n <= 1 ? n : recurse(n - 1) + recurse(n - 2); recurse(20)
def deep_rec(n) = n.zero? ? 0 : 1 + deep_rec(n - 1); deep_rec(5000)
1 <=> 2
1 == 1 && 2 == 2
1 == 1 and 2 == 3
!true
not true
true && nil
false || nil
nil.to_a + [1]
1.+(2)
2 ** 3 ** 2
-2 ** 2
(-2) ** 2
10 - 2 - 3
2 + 3 * 4
7 / 2 * 2
7.0 / 2 * 2
1 < 2 && 2 < 3
5.between?(1, 10) ? "in" : "out"
"a" "b"
?a
?a + ?b
:"dyn#{1 + 1}"
%q(single 'quoted')
%Q(double "quoted" #{1})
%w[a#{1} b]
%W[a#{1} b]
%i[a b].map(&:class)
__LINE__.class
__FILE__.class
BEGIN_VAL = 1; BEGIN_VAL
CONST = [1]; CONST << 2; CONST
CONST_A = 1; CONST_A = 2; CONST_A
Object::String == String
::String == String
1.0 / 0 == Float::INFINITY
nil.to_i
"5" + 5.to_s
"5".to_i + 5
"3.7".to_f.round
0.1 * 3 == 0.3
[1, 2, 3].sum / 2
[1, 2, 3].sum / 2.0
10.0.to_s
10.to_s(2).count("1")
"%.2f" % 2.0 / 3 rescue :err
x = 10; y = 3; [x / y, x % y, x.fdiv(y).round(3)]
puts "printed"
print "no newline"
p 1, 2
p
p [1, "a"]
pp({a: 1})
$stdout.write("abc")
$stderr.puts("err")
STDOUT.puts "x"
printf("%d\n", 5)
putc "a"
$, rescue :nocomma
$; .inspect rescue :nosemi
$0.class
ARGV
ENV.class
ENV["HOME"].class
__dir__.class
[1, 2, 3].frozen?
"abc".then { |s| s.length > 2 ? "long" : "short" }
x = if false then 1 end; x
x = while false do end; x
x = (1; 2; 3); x
begin; 1; 2; end
[1, 2, 3].each {}.class
{a: 1}.each {}.class
5.times {}
obj = Object.new; class << obj; def hi = :sing; end; obj.hi
$glob = 1; def read_glob = $glob; read_glob
x = 1; define_method(:closure_m) { x } rescue :err
1.then { |a; b| b = a; b }
a = [1, 2, 3]; a in [1, *]
score = 85; grade = case score when 90.. then "A" when 80...90 then "B" else "C" end; grade
nums = [1, 2, 3, 4, 5, 6]; nums.select(&:even?).map { _1 ** 2 }.sum
words = %w[apple Banana cherry]; words.sort_by(&:downcase).map(&:capitalize).join(", ")
text = "the rain in spain"; text.split.map(&:capitalize).join(" ")
text = "a b a c b a"; text.split.tally.sort_by { |w, c| [-c, w] }.first(2)
data = [{n: "a", v: 2}, {n: "b", v: 1}]; data.sort_by { _1[:v] }.map { _1[:n] }
data = [{n: "a", v: 2}, {n: "b", v: 1}]; data.sum { _1[:v] }
data = [{n: "a", v: 2}, {n: "b", v: 1}]; data.to_h { [_1[:n], _1[:v]] }
csv = "name,age\nBob,30\nAmy,25"; rows = csv.lines.map(&:chomp).map { _1.split(",") }; hdr, *body = rows; body.map { hdr.zip(_1).to_h }
(1..15).map { |i| i % 15 == 0 ? "FizzBuzz" : i % 3 == 0 ? "Fizz" : i % 5 == 0 ? "Buzz" : i.to_s }.last(5)
def prime?(n) = n > 1 && (2..Integer.sqrt(n)).none? { n % _1 == 0 }; (1..30).select { prime?(_1) }
def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2); (0..10).map { fib(_1) }
(1..5).each_with_object({}) { |i, h| h[i] = i * i }
matrix = [[1, 2], [3, 4]]; matrix.map { |row| row.map { _1 * 2 } }
matrix = [[1, 2], [3, 4]]; matrix.transpose.map(&:sum)
matrix = [[1, 2], [3, 4]]; matrix.flatten.each_slice(2).map(&:reverse)
str = "hello world"; str.each_char.with_object(Hash.new(0)) { |c, h| h[c] += 1 unless c == " " }.max_by { _2 }
"1,2,3".split(",").map(&:to_i).sum
[3, 1, 4, 1, 5, 9, 2, 6].each_slice(3).map(&:max)
[1, 2, 3].zip([4, 5, 6]).map { _1 * _2 }.sum
(1..10).each_slice(3).map(&:sum)
[1, [2, [3, [4, [5]]]]].flatten.sum
%w[a b c].each_with_index.map { |c, i| c * (i + 1) }.join
"The quick brown fox".scan(/\w+/).map(&:length)
10.downto(1).select(&:even?).reduce(:*)
h = Hash.new { |hash, k| hash[k] = "gen_#{k}" }; [h[:a], h.keys]
ObjectSpace.count_objects.class rescue :no
