# Blocks, procs, lambdas, it and numbered parameters, closures.
[1, 2, 3].map { it * 2 }
[1, 2, 3].map { _1 * 2 }
[[1, 2], [3, 4]].map { _1 + _2 }
[[1, 2], [3, 4]].map { it.sum }
[[1, 2], [3, 4]].map { _1 }
%w[a b].each_with_index.map { "#{_2}#{_1}" }
[3, 1, 2].sort_by { -it }
[1, 2, 3].select { it.odd? }
["a", "b"].map { it.upcase }
-> { it }.call(5) rescue :err
proc { it * 3 }.call(4)
sq = ->(x) { x * x }; sq.call(4)
sq = ->(x) { x * x }; sq.(4)
sq = ->(x) { x * x }; sq[4]
sq = ->(x) { x * x }; sq.call(1, 2)
pr = proc { |x| x }; pr.call(1, 2)
pr = proc { |x, y| [x, y] }; pr.call(1)
pr = proc { |x, y| [x, y] }; pr.call([1, 2])
la = lambda { |x, y| [x, y] }; la.call([1, 2])
proc { |x| }.arity
proc { |x, y| }.arity
lambda { |x, y| }.arity
proc { |*x| }.arity
lambda { |x, y = 1| }.arity
proc {}.lambda?
lambda {}.lambda?
->() {}.lambda?
add = ->(a, b) { a + b }; add.curry[1][2]
add = proc { |a, b, c| (a || 0) + (b || 0) + (c || 0) }; add.curry[1][2][3]
double = ->(x) { x * 2 }; inc = ->(x) { x + 1 }; (double >> inc).call(5)
double = ->(x) { x * 2 }; inc = ->(x) { x + 1 }; (double << inc).call(5)
m = 12.method(:+); m.call(3)
m = [3, 1, 2].method(:sort); m.call
[1, 2, 3].map(&10.method(:+))
%w[1 2 3].map(&method(:Integer))
def twice = [yield, yield]; twice { 1 }
def twice = [yield(1), yield(2)]; twice { |x| x * 10 }
def bg = block_given?; [bg, bg {}]
def pass(&b) = b; pass { 1 }.call
def pass(&b) = b; pass.nil?
def pass(&b) = b; pass { 1 }.lambda?
def pass(&b) = b; pass(&->(x) { x }).lambda?
def each_pair_sum = yield(1, 2); each_pair_sum { |a, b| a + b }
def ret_from_proc = ([1, 2].each { |x| return x * 100 }; :never); ret_from_proc
def next_in_block = [1, 2, 3].map { |x| next 0 if x == 2; x }; next_in_block
[1, 2, 3].each { |x| break x * 10 if x == 2 }
[1, 2, 3].map { |x| break :stopped if x == 2; x }
counter = 0; inc = -> { counter += 1 }; 3.times { inc.call }; counter
x = 10; [1].each { x += 1 }; x
x = 10; [1].each { |x| x += 1 }; x
x = 10; [1].each { |i; x| x = i }; x
def make_counter; c = 0; [-> { c += 1 }, -> { c }]; end; inc, get = make_counter; inc.(); inc.(); get.()
adders = (1..3).map { |i| ->(x) { x + i } }; adders.map { _1.(10) }
y = 1; blk = proc { y }; y = 2; blk.call
pr = proc { |a, (b, c), *d| [a, b, c, d] }; pr.call(1, [2, 3], 4, 5)
pr = proc { |a, b = 5| [a, b] }; pr.call(1)
[[1, [2, 3]]].each_with_object([]) { |(a, (b, c)), acc| acc << a + b + c }
[1, 2].each_slice(1).map { |(a)| a }
{a: 1}.map { |k, v| [k, v] }
{a: 1}.map { |pair| pair }
proc { |a| a }.call(1, 2)
proc { |a,| a }.call([1, 2])
->(a) { a }.call([1, 2])
:upcase.to_proc.call("x")
:+.to_proc.call(1, 2)
[1, 2, 3].inject(&:+)
def yielder = yield(:a, :b); yielder { |*args| args }
def yielder = yield([:a, :b]); yielder { |a, b| [a, b] }
def yielder = yield([:a, :b]); yielder { |a| a }
->(x, y = x * 2) { [x, y] }.call(3)
->(*) { :any }.call(1, 2, 3)
Proc.new { 1 }.call
proc { return 1 }.call
lambda { return 1 }.call
l = -> { return 5; 6 }; l.call
pr = proc { next 9; 10 }; pr.call
def gen = Enumerator.new { |y| y << 1; y << 2 }; gen.map { _1 * 3 }
def run_block(&b) = instance_exec(5, &b); run_block { |x| x * 2 }
obj = Object.new; obj.instance_eval { @v = 3 }; obj.instance_variable_get(:@v)
o = Struct.new(:n).new(4); o.instance_eval { n * 2 }
1.then { _1 + 1 }
5.tap { |x| x + 100 }
[1, 2].each_with_object([]).each { |x, a| a << x * 2 }
memo = Hash.new { |h, n| h[n] = n < 2 ? n : h[n - 1] + h[n - 2] }; memo[40]
fact = ->(n) { n <= 1 ? 1 : n * fact.(n - 1) }; fact.(20)
compose = [->(x) { x + 1 }, ->(x) { x * 3 }].reduce(:>>); compose.call(2)
def m(&b) = b.arity; [m { }, m { |x| }, m { |x, y| }, m { |*x| }]
def m(&b) = b.parameters; m { |x, y = 1, *z, k:, &blk| }
proc { |x| x }.parameters
->(x) { x }.parameters
[1, 2, 3].each_slice(2).map { it }
[1, 2, 3].sum { it }
it = 5; [1].map { it }
def it_meth = [1, 2].map { it + 1 }; it_meth
[[1, 2]].map { |a, b| a + b }
[[1, 2]].map { |a| a }
[[1, 2]].each_with_index.map { |(a, b), i| a + b + i }
[1, 2, 3].each_cons(2).map { _1 * _2 }
x = [1, 2].map do |v| v * 2 end; x
