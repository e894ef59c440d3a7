# Keyword arguments.
def greet(name:, greeting: "Hello") = "#{greeting}, #{name}"; greet(name: "A")
def greet(name:, greeting: "Hello") = "#{greeting}, #{name}"; greet(greeting: "Hi", name: "B")
def greet(name:, greeting: "Hello") = "#{greeting}, #{name}"; greet
def greet(name:) = name; greet(name: 1, other: 2)
def f(**opts) = opts; f(a: 1, b: 2)
def f(**opts) = opts; f
def f(*args, **opts) = [args, opts]; f(1, 2, a: 3)
def f(*args, **opts) = [args, opts]; f({a: 1})
def f(*args) = args; f(a: 1)
def f(h) = h; f(a: 1, b: 2)
def f(h = {}, **kw) = [h, kw]; f(a: 1)
def f(a, b = 2, *rest, c, d:, e: 5, **kw, &blk) = [a, b, rest, c, d, e, kw]; f(1, 9, d: 4)
def f(a, b = 2, *rest, c, d:, e: 5, **kw, &blk) = [a, b, rest, c, d, e, kw]; f(1, 2, 3, 4, d: 0, z: 1)
def f(a:, b: a * 2) = [a, b]; f(a: 3)
def f(x:) = x; h = {x: 10}; f(**h)
def f(x:, y:) = x + y; h = {x: 1}; f(**h, y: 2)
def f(**) = g(**); def g(**kw) = kw; f(a: 1)
def f(*) = g(*); def g(*a) = a; f(1, 2)
def f(...) = g(...); def g(*a, **k) = [a, k]; f(1, k: 2)
def f(&) = g(&); def g = yield; f { :blk }
def f(x:) = x; f("x": 1)
def f(if:) = binding.local_variable_get(:if); f(if: 3)
def f(**kw) = kw; f("str" => 1)
def f(**kw) = kw.keys; f(b: 1, a: 2)
def f(a, **kw) = [a, kw]; f({x: 1})
def f(a, **kw) = [a, kw]; f({x: 1}, y: 2)
def f(a = {}) = a; f(x: 1)
def f(x: 1) = x; f(nil) rescue $!.class
def f(**nil) = :no_kw; f(a: 1)
def f(**nil) = :no_kw; f
f = ->(a:, b: 2) { a + b }; f.call(a: 1)
f = ->(a:, b: 2) { a + b }; f.(a: 1, b: 5)
f = ->(a:, b: 2) { a + b }; f[a: 0]
f = proc { |a:, **kw| [a, kw] }; f.call(a: 1, z: 2)
def f(x:) = x; method(:f).parameters
def f(a, b = 1, *c, d:, e: 2, **f, &g) = nil; method(:f).parameters
def f(a, b = 1, *c, d:, e: 2, **f, &g) = nil; method(:f).arity
->(a, b:) {}.arity
->(*a, b: 1) {}.arity
->(a:) {}.parameters
def f(*, **) = :anon; f(1, a: 2)
def opts(o = {}) = o.merge(default: true); opts(x: 1)
class K; def initialize(name:, age: 0) = (@name, @age = name, age); def to_a = [@name, @age]; end; K.new(name: "n").to_a
class K; attr_reader :o; def initialize(**o) = @o = o; end; K.new(a: 1).o
class K; def self.build(**kw) = new(**kw); def initialize(x:) = @x = x; attr_reader :x; end; K.build(x: 9).x
def f(a, b:) = [a, b]; f(1, b: 2)
def f(a, b:) = [a, b]; f(b: 2)
def f(a, b: 1) = [a, b]; f({b: 5})
Struct.new(:a, :b, keyword_init: true).new(a: 1, b: 2).to_h
def f(h) = h; f("a" => 1, b: 2)
def f(**kw) = kw; f(**{a: 1}, **{b: 2})
def f(**kw) = kw; f(**{a: 1}, a: 2)
def f(*a, **kw, &b) = b.call(*a, **kw); f(1, x: 2) { |n, x:| n + x }
def f(x:) = x; args = {x: 7}; send(:f, **args)
def f(x:) = x; public_send(:f, x: 8) rescue send(:f, x: 8)
