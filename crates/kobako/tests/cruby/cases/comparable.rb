# Comparable.
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(1) < Ver.new(2)
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(2) == Ver.new(2)
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(3).between?(Ver.new(1), Ver.new(5))
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(9).clamp(Ver.new(1), Ver.new(5)).n
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; [Ver.new(3), Ver.new(1)].sort.map(&:n)
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; [Ver.new(3), Ver.new(1)].max.n
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(1) >= Ver.new(1)
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(1) != Ver.new(2)
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = (n <=> o.n if o.is_a?(Ver)); end; Ver.new(1) < 5
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = (n <=> o.n if o.is_a?(Ver)); end; Ver.new(1) == 5
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; (Ver.new(1)..Ver.new(3)).include?(Ver.new(2))
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.new(0).clamp(Ver.new(1)..Ver.new(5)).n
class Ver; include Comparable; attr_reader :n; def initialize(n) = @n = n; def <=>(o) = n <=> o.n; end; Ver.ancestors.include?(Comparable)
1.clamp(2, 3)
"b".clamp("a", "c")
5.clamp(1..3)
5.clamp(1...3)
1.5.between?(1, 2)
"abc".between?("abb", "abd")
Comparable.instance_methods.sort
3.clamp(5, 1)
[1, 2] <=> [1, 3]
nil <=> 1
1 <=> "a"
1 < "a"
"a" < 1
:a < :b
Time.at(0) < Time.at(1)
