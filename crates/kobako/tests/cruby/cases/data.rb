# Data (Ruby 3.2+).
Coord = Data.define(:lat, :lng); Coord.new(lat: 1, lng: 2)
Coord = Data.define(:lat, :lng); Coord.new(1, 2)
Coord = Data.define(:lat, :lng); Coord.new(1, 2).lat
Coord = Data.define(:lat, :lng); Coord.new(1)
Coord = Data.define(:lat, :lng); Coord.new(1, 2, 3)
Coord = Data.define(:lat, :lng); Coord.new(lat: 1)
Coord = Data.define(:lat, :lng); Coord.new(lat: 1, lng: 2, alt: 3)
Coord = Data.define(:lat, :lng); Coord.new(1, 2).to_h
Coord = Data.define(:lat, :lng); Coord.new(1, 2) == Coord.new(1, 2)
Coord = Data.define(:lat, :lng); Coord.new(1, 2).eql?(Coord.new(1, 2.0))
Coord = Data.define(:lat, :lng); Coord.new(1, 2).frozen?
Coord = Data.define(:lat, :lng); Coord.new(1, 2).with(lng: 5)
Coord = Data.define(:lat, :lng); Coord.members
Coord = Data.define(:lat, :lng); Coord.new(1, 2).inspect
Coord = Data.define(:lat, :lng); Coord.new(1, 2).to_s
Coord = Data.define(:lat, :lng); Coord.new(1, 2).respond_to?(:lat=)
Coord = Data.define(:lat, :lng); c = Coord.new(1, 2); c.instance_variable_set(:@lat, 3)
Coord = Data.define(:lat, :lng) do; def sum = lat + lng; end; Coord.new(1, 2).sum
Coord = Data.define(:lat, :lng) do; def initialize(lat:, lng: 0) = super; end; Coord.new(lat: 1)
Coord = Data.define(:lat, :lng); case Coord.new(1, 2); in {lat:, lng:} then [lat, lng]; end
Coord = Data.define(:lat, :lng); case Coord.new(1, 2); in Coord[lat, lng] then lat - lng; end
Coord = Data.define(:lat, :lng); Coord.new(1, 2).deconstruct_keys(nil)
Coord = Data.define(:lat, :lng); Coord.superclass
Coord = Data.define(:lat, :lng); Coord.new(1, 2).hash == Coord.new(1, 2).hash
Coord = Data.define(:lat, :lng); {Coord.new(1, 2) => :v}[Coord.new(1, 2)]
Empty = Data.define; Empty.new
Empty = Data.define; Empty.new.to_h
Coord = Data.define(:lat, :lng); Coord.new(lat: 1, lng: 2).to_h.keys
Money = Data.define(:amount, :currency) do; def to_s = "#{amount} #{currency}"; end; Money.new(5, "USD").to_s
Money = Data.define(:amount, :currency) do; def +(o) = with(amount: amount + o.amount); end; (Money.new(5, "USD") + Money.new(7, "USD")).amount
Data.define(:a).new(a: [1]).a.frozen?
Coord = Data.define(:lat, :lng); [Coord.new(2, 1), Coord.new(1, 1)].min_by(&:lat)
Coord = Data.define(:lat, :lng); Coord.new(1, 2).with
Coord = Data.define(:lat, :lng); Coord.new(1, 2).with(1)
Coord = Data.define(:lat, :lng); Coord.method_defined?(:lat)
