# Struct.
Point = Struct.new(:x, :y); Point.new(1, 2)
Point = Struct.new(:x, :y); Point.new(1, 2).x
Point = Struct.new(:x, :y); Point.new(1)
Point = Struct.new(:x, :y); Point.new(1, 2, 3)
Point = Struct.new(:x, :y); Point.new(1, 2).to_a
Point = Struct.new(:x, :y); Point.new(1, 2).to_h
Point = Struct.new(:x, :y); Point.new(1, 2) == Point.new(1, 2)
Point = Struct.new(:x, :y); Point.members
Point = Struct.new(:x, :y); p = Point.new(1, 2); p.x = 10; p
Point = Struct.new(:x, :y); Point.new(1, 2)[0]
Point = Struct.new(:x, :y); Point.new(1, 2)[:y]
Point = Struct.new(:x, :y); Point.new(1, 2)["x"]
Point = Struct.new(:x, :y); Point.new(1, 2)[:z]
Point = Struct.new(:x, :y); Point.new(1, 2)[5]
Point = Struct.new(:x, :y, keyword_init: true); Point.new(x: 1, y: 2)
Point = Struct.new(:x, :y); Point.new(x: 1, y: 2)
Point = Struct.new(:x, :y) do; def dist = Math.sqrt(x * x + y * y); end; Point.new(3, 4).dist
Point = Struct.new(:x, :y) do; def to_s = "(#{x}, #{y})"; end; Point.new(3, 4).to_s
Point = Struct.new(:x, :y); a, b = *Point.new(5, 6); [a, b]
Point = Struct.new(:x, :y); Point.new(1, 2).each.to_a
Point = Struct.new(:x, :y); Point.new(1, 2).each_pair.to_a
Point = Struct.new(:x, :y); Point.new(1, 2).values
Point = Struct.new(:x, :y); Point.new(1, 2).size
Point = Struct.new(:x, :y); Point.new(1, 2).inspect
Point = Struct.new(:x, :y); Point.new(1, 2).to_s
Point = Struct.new(:x, :y); Point.new(1, [2]).dig(:y, 0)
Point = Struct.new(:x, :y); Point.new(1, 2).eql?(Point.new(1, 2))
Point = Struct.new(:x, :y); Point.new(1, 2).hash == Point.new(1, 2).hash
Point = Struct.new(:x, :y); {Point.new(1, 2) => :a}[Point.new(1, 2)]
Point = Struct.new(:x, :y); Point.new(2, 1).to_h { |k, v| [v, k] }
Point = Struct.new(:x, :y); Point.superclass
Point = Struct.new(:x, :y); Point.new(1, 2).is_a?(Struct)
Point = Struct.new(:x, :y); Point.new(1, 2).deconstruct
Point = Struct.new(:x, :y); Point.new(1, 2).deconstruct_keys([:x])
Point = Struct.new(:x, :y); case Point.new(1, 2); in [x, y] then x + y; end
Point = Struct.new(:x, :y); case Point.new(1, 2); in {x:, y:} then x * y; end
Point = Struct.new(:x, :y); case Point.new(1, 2); in Point(x:, y: 2) then x; end
class Pair < Struct.new(:l, :r); def sum = l + r; end; Pair.new(1, 2).sum
class Pair < Struct.new(:l, :r); end; Pair.new(1, 2)
Struct.new("Tmp", :a) rescue :err
s = Struct.new(:a).new(1); s.a
Struct.new(:a).new(1).inspect
S3 = Struct.new(:a, :b); S3.new(1, 2).select(&:odd?) rescue S3.new(1, 2).filter(&:odd?)
S3 = Struct.new(:a, :b); S3.new(1, 2).members.zip(S3.new(1, 2).values)
S3 = Struct.new(:a, :b); s = S3.new(1, 2); s[:a] = 9; s.a
S3 = Struct.new(:a, :b); S3.new(1, 2).frozen?
S3 = Struct.new(:a, :b); S3.new(1, 2) <=> S3.new(1, 2) rescue :nocmp
S3 = Struct.new(:a, :b); [S3.new(2, 1), S3.new(1, 2)].sort_by(&:a)
S3 = Struct.new(:a, :b); S3.new(1, nil).to_h.compact
S3 = Struct.new(:a, :b); S3.new(1, 2).then { |s| s.a + s.b }
