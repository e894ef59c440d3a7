# Exceptions: raise/rescue/ensure/retry, classes and standard messages.
1 / 0
Integer("x")
nil.upcase
undefined_local_or_method
UndefinedConstant
[].fetch(1)
{}.fetch(:a)
:sym + 1
1 + nil
1 + "a"
"a" + 1
"a" * -1
[1, 2].first(-1)
raise "boom"
raise ArgumentError
raise ArgumentError, "bad"
raise TypeError.new("t")
raise Class.new(StandardError)
fail "f"
begin; raise "boom"; rescue => e; e.message; end
begin; raise "boom"; rescue => e; e.class; end
begin; raise ArgumentError, "bad"; rescue => e; [e.class, e.message]; end
begin; raise IOError; rescue => e; e.message; end
begin; raise ArgumentError; rescue => e; e.message; end
begin; 1 / 0; rescue ZeroDivisionError => e; e.message; end
begin; nil.upcase; rescue NoMethodError => e; e.message; end
begin; nil.upcase; rescue NoMethodError => e; e.name; end
begin; nil.upcase; rescue NoMethodError => e; e.receiver; end
begin; 5.upcase; rescue NoMethodError => e; e.message; end
begin; undefined_thing; rescue NameError => e; e.message; end
begin; undefined_thing; rescue NameError => e; e.name; end
begin; undefined_thing; rescue NameError => e; e.class; end
begin; undefined_thing(); rescue NameError => e; e.class; end
begin; undefined_thing(); rescue NameError => e; e.message; end
begin; Zork; rescue NameError => e; e.message; end
begin; Integer("zz"); rescue ArgumentError => e; e.message; end
begin; [].fetch(3); rescue IndexError => e; e.message; end
begin; {a: 1}.fetch(:b); rescue KeyError => e; [e.key, e.receiver]; end
begin; {a: 1}.fetch(:b); rescue KeyError => e; e.message; end
begin; raise "x"; rescue StandardError; :caught; end
begin; raise Exception, "x"; rescue StandardError; :std; rescue Exception; :exc; end
begin; raise "x"; rescue TypeError; :type; rescue RuntimeError; :rt; end
begin; raise "x"; rescue TypeError, RuntimeError => e; e.class; end
begin; :ok; rescue; :bad; else; :else; ensure; :ensure; end
x = []; begin; x << 1; raise "e"; rescue; x << 2; ensure; x << 3; end; x
x = []; begin; x << 1; ensure; x << 2; end; x
def m2; return :body; ensure; puts "e"; end; m2
def m3; yield; ensure; @ens = true; end; m3 { :blk }
tries = 0; begin; tries += 1; raise "again" if tries < 3; tries; rescue; retry; end
def m4 = raise(NotImplementedError); m4
def m5 = raise(NotImplementedError); begin; m5; rescue => e; :std; rescue NotImplementedError; :nie; end
NotImplementedError.ancestors.include?(StandardError)
ZeroDivisionError.ancestors.take(4)
KeyError.superclass
StopIteration.superclass
FrozenError.superclass
NoMethodError.superclass
NameError.superclass
FloatDomainError.superclass
Errno::ENOENT.superclass rescue :noerrno
class MyError < StandardError; end; begin; raise MyError; rescue MyError => e; e.message; end
class MyError < StandardError; def initialize(msg = "custom default") = super; end; begin; raise MyError; rescue => e; e.message; end
class MyError < StandardError; def message = "overridden"; end; begin; raise MyError; rescue => e; e.message; end
class MyError < StandardError; attr_reader :code; def initialize(code) = (@code = code; super("code #{code}")); end; begin; raise MyError.new(42); rescue => e; [e.code, e.message]; end
e = RuntimeError.new("m"); e.message
RuntimeError.new("m").inspect
RuntimeError.new.inspect
ArgumentError.new("x").inspect
StandardError.new(:sym).message
begin; raise "outer"; rescue => e; begin; raise "inner"; rescue => e2; e2.cause&.message; end; end
begin; begin; raise "a"; rescue; raise TypeError, "b"; end; rescue => e; [e.class, e.cause.class]; end
begin; raise "a"; rescue => e; e.backtrace.class; end
def deep(n) = n.zero? ? raise("bottom") : deep(n - 1); begin; deep(5); rescue => e; e.message; end
begin; raise TypeError, "t"; rescue => e; e.is_a?(StandardError); end
[1, 2].frozen? ? :f : [1, 2].freeze.push(3)
"abc".freeze << "d"
begin; "abc".freeze << "d"; rescue => e; e.class; end
begin; "abc".freeze << "d"; rescue FrozenError => e; e.receiver; end
:sym.instance_variable_set(:@a, 1)
begin; [1].freeze << 2; rescue => e; e.message; end
Integer.new rescue $!.class
Comparable.new
BasicObject.new.inspect
obj = Object.new; def obj.method_missing(n, *a) = n == :hi ? :hello : super; obj.hi
obj = Object.new; def obj.method_missing(n, *a) = n == :hi ? :hello : super; obj.bye
def kw(a:) = a; kw
def kw(a:) = a; kw(a: 1, b: 2)
def two(a, b) = a; two(1)
begin; def two(a, b) = a; two(1); rescue ArgumentError => e; e.message; end
begin; def kw(a:) = a; kw; rescue ArgumentError => e; e.message; end
[1, 2].first("x")
Float("1.5x")
Float(nil)
raise StopIteration
loop { raise StopIteration, "done" }
catch(:found) { [1, 2, 3].each { |x| throw :found, x * 10 if x == 2 }; :none }
catch { |tag| throw tag, 7 }
throw :nope
begin; throw :nope; rescue UncaughtThrowError => e; e.tag; end
begin; raise "x"; rescue => e; $!.message; end
begin; raise "x"; rescue; end.inspect
x = begin; Integer("q"); rescue ArgumentError; -1; end; x
value = Integer("q") rescue 0; value
def safe = yield rescue :rescued; safe { raise "x" }
def with_ensure; [1].each { return :early }; ensure; :ignored; end; with_ensure
Exception.new.message
Exception.new("a") == Exception.new("a")
begin; raise ArgumentError.new("one"), "two"; rescue => e; e.message; end rescue :err
e = (raise "x" rescue $!); e.class
raise RuntimeError.exception("ex")
ArgumentError.exception("from exception").message
begin; exit; rescue SystemExit => e; [e.status, e.success?]; end
begin; exit(2); rescue SystemExit => e; e.status; end
begin; abort("bye"); rescue SystemExit => e; e.status; end
warn("to stderr"); :after_warn
begin; raise Interrupt; rescue Interrupt; :int; end
SignalException.superclass
ScriptError.subclasses.map(&:name).sort rescue :nosub
Exception.subclasses.size > 3
begin; raise "x"; rescue => e; e.exception.equal?(e); end
RangeError.new("r").message
def ret_in_rescue; raise "x"; rescue; return :from_rescue; end; ret_in_rescue
def nested; begin; raise "a"; ensure; return :ensure_wins; end; end; nested
Math.sqrt(-1)
Math.log(-1)
[1, 2, 3].max(-1)
Integer("12", 1)
"%d" % "x"
sleep(-1)
Array.new(-1)
"x".center
nil + 1
Object.new.foo rescue $!.class
raise "msg" rescue $!.message
