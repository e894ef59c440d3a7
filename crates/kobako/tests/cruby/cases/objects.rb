# Classes, modules, objects, introspection, Kernel conversions.
class Animal; def initialize(name) = @name = name; def speak = "..."; def to_s = "#{self.class.name}(#{@name})"; end; class Dog < Animal; def speak = "Woof"; end; [Dog.new("r").speak, Dog.new("r").to_s]
class Animal; def speak = "..."; end; class Cat < Animal; def speak = super + "meow"; end; Cat.new.speak
class Base; def hi(x) = "hi #{x}"; end; class Sub < Base; def hi(x) = super; end; Sub.new.hi(1)
class Base; def hi(x) = "hi #{x}"; end; class Sub < Base; def hi(x) = super(); end; Sub.new.hi(1)
class Pt; attr_accessor :x; end; p = Pt.new; p.x = 3; p.x
class Pt; attr_reader :x; def initialize = @x = 1; end; Pt.new.respond_to?(:x=)
class Pt; def initialize = @x = 1; end; Pt.new.instance_variables
class Pt; def initialize = (@x = 1; @y = 2); end; Pt.new.instance_variable_get(:@y)
class Pt; end; Pt.new.inspect.start_with?("#<Pt")
class Pt; def inspect = "PT"; end; [Pt.new]
class Pt; def to_s = "pt"; end; "#{Pt.new}"
class Pt; def ==(o) = o.is_a?(Pt); end; Pt.new == Pt.new
class Pt; def <=>(o) = 0; include Comparable; end; Pt.new == Pt.new
class Pt; def hash = 1; def eql?(o) = true; end; [Pt.new, Pt.new].uniq.size
class Cnt; @@n = 0; def self.inc = @@n += 1; end; Cnt.inc; Cnt.inc
class Cfg; @opts = {a: 1}; class << self; attr_reader :opts; end; end; Cfg.opts
class Cfg; def self.create = new; private_class_method :new; end; Cfg.create.class
class Cfg; private_class_method :new; end; Cfg.new
class Sec; def pub = priv; private; def priv = :secret; end; Sec.new.pub
class Sec; private def priv = :secret; end; Sec.new.priv
class Sec; protected def prot = 1; def cmp(o) = o.prot; end; Sec.new.cmp(Sec.new)
class Sec; protected def prot = 1; end; Sec.new.prot
class Sec; private def priv = 1; end; Sec.new.send(:priv)
module Greet; def greet = "hi from #{name}"; end; class Pers; include Greet; def name = "P"; end; Pers.new.greet
module Greet; def greet = "hi"; end; class Pers; include Greet; end; Pers.ancestors.take(3)
module Greet; def greet = "mod"; end; class Pers; prepend Greet; def greet = "cls"; end; Pers.new.greet
module Greet; def greet = "mod+" + super; end; class Pers; prepend Greet; def greet = "cls"; end; Pers.new.greet
module Util; def self.helper = 42; end; Util.helper
module Util; module_function; def helper = 43; end; Util.helper
module Util; PI2 = 6.28; end; Util::PI2
module Ext; def shout = upcase + "!"; end; s = +"hi"; s.extend(Ext); s.shout
module Hooks; def self.included(base) = base.extend(ClassMethods); module ClassMethods; def cm = :cm; end; end; class Host2; include Hooks; end; Host2.cm
class Meta; [:a, :b].each { |n| define_method("get_#{n}") { n } }; end; Meta.new.get_b
class Meta; def method_missing(name, *args) = name.to_s.start_with?("x_") ? name : super; def respond_to_missing?(n, p = false) = n.to_s.start_with?("x_") || super; end; [Meta.new.x_y, Meta.new.respond_to?(:x_z)]
class Meta; end; Meta.class_eval { def added = :added }; Meta.new.added
class Meta; end; Meta.define_method(:dm) { :dm } rescue Meta.send(:define_method, :dm) { :dm }; Meta.new.dm
o = Object.new; def o.single = :s; o.singleton_methods
o = Object.new; o.define_singleton_method(:z) { 26 }; o.z
class Meta; def a = 1; def b = 2; end; Meta.instance_methods(false).sort
class Meta; def a = 1; end; Meta.method_defined?(:a)
class Meta; def a = 1; end; Meta.new.public_send(:a)
class Meta; end; Meta.name
Class.new.name
Class.new(StandardError).superclass
c = Class.new { def hi = :anon_hi }; c.new.hi
Integer.ancestors.include?(Comparable)
String.ancestors.include?(Comparable)
Array.ancestors.include?(Enumerable)
Hash.include?(Enumerable)
5.class.superclass
Integer.superclass.superclass
nil.class
NilClass.instance_method(:to_a).owner
true & false
true ^ true
nil.to_a
nil.to_s
nil.to_h
nil.inspect
5.is_a?(Numeric)
5.kind_of?(Integer)
5.instance_of?(Numeric)
Integer === 5
5.respond_to?(:+)
"".respond_to?(:each)
[].frozen?
nil.frozen?
:a.frozen?
1.frozen?
Object.new.frozen?
o = Object.new.freeze; o.instance_variable_set(:@a, 1)
a = "x"; b = a; b << "y"; a
a = "x"; b = a.dup; b << "y"; a
a = [1, [2]]; b = a.dup; b[1] << 3; a
a = [1, [2]]; b = Marshal.load(Marshal.dump(a)); b[1] << 3; a rescue :nomarshal
o = Object.new; o.clone.equal?(o)
"str".clone(freeze: true).frozen?
1.dup
nil.dup
Object.new.singleton_class.ancestors.first(2).last
5.then { it + 1 }
Object.new.then { 7 }
[1, 2].tap { _1.push(3) }
Comparable.is_a?(Module)
Comparable.class
Module.new.class
Object.const_get(:Math)::PI.round(2)
Object.const_defined?(:String)
Kernel.respond_to?(:puts, true)
self.to_s
self.inspect
self.class
__method__
def whoami = __method__; whoami
String.instance_method(:upcase).name
1.method(:+).arity
[].method(:push).arity
"abc".method(:upcase).unbind.bind("xyz").call
Integer("0b11", 0) rescue Integer("0b11")
Float(3)
String(12)
Array("a\nb")
Hash([[1, 2]])
Rational(1, 3)
Rational(1, 3) + Rational(1, 6)
Complex(1, 2) * Complex(1, 2)
3.14.rationalize(Rational(1, 100))
1r / 3
2i * 2i
0.1r + 0.2r
ObjectSpace.respond_to?(:garbage_collect)
GC.start.nil?
RUBY_VERSION >= "3.0"
RUBY_ENGINE.class
binding.local_variables
x = 1; binding.local_variable_get(:x)
eval("1 + 2")
x = 5; eval("x * 2")
instance_variable_get(:@nope)
Object.new.instance_variables
method(:puts).owner
[1, 2].freeze.map { _1 }.frozen?
"a".frozen?
String.new.encoding
String.new("x").frozen?
:sym.to_proc.lambda?
1.then.class rescue :noenum
obj = Object.new; obj.instance_variable_set(:@secret, 1); obj.instance_variable_defined?(:@secret)
Object.new.methods.include?(:then)
Object.private_method_defined?(:puts)
BasicObject.superclass
Class.superclass
Module.superclass
