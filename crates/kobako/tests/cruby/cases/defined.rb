# defined?.
defined?(foo)
defined?(puts)
defined?(String)
defined?(NoSuchConst)
defined?(@iv)
@iv = 1; defined?(@iv)
defined?($gv_never_set)
$gv_set = 1; defined?($gv_set)
x = 1; defined?(x)
defined?(1 + 1)
defined?(x = 2)
defined?(yield)
defined?(super)
defined?(nil)
defined?(self)
defined?(true)
defined?(String.new)
defined?(String.no_such_method)
defined?(Math::PI)
defined?(Math::NOPE)
defined?(@@cv) rescue :err
defined?([].size)
def dm = defined?(yield); [dm, dm {}]
class DefA; def m = defined?(super); end; DefA.new.m
class DefB; def to_s = defined?(super); end; DefB.new.to_s
defined?(Object.new.foo)
defined?(Comparable)
defined?(:sym)
defined?("str")
defined?(Kobako) ? :kobako : :plain
defined?(JSON) ? :json_preloaded : :no_json
defined?(Set)
defined?(Data)
defined?(Struct)
defined?(Fiber)
defined?(Ractor) ? :yes : :no
a = defined?(zzz) || :fallback; a
defined?(puts) && :callable
defined?(Fixnum)
Object.const_defined?(:Fixnum)
