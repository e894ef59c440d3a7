# Pattern matching: case/in, rightward =>, one-line in, find pattern, pin, guards.
case 5; in Integer then :int; in String then :str; end
case "s"; in Integer then :int; in String then :str; end
case 5.0; in Integer then :int; end
case 5; in 1..3 then :low; in 4.. then :high; end
case [1, 2]; in [a, b] then a + b; end
case [1, 2, 3]; in [first, *rest] then [first, rest]; end
case [1, 2, 3]; in [*, last] then last; end
case [1, [2, 3]]; in [a, [b, c]] then a + b + c; end
case [1, 2]; in [Integer, Integer] => pair then pair; end
case {name: "Bob", age: 30}; in {name: String => name, age:} then "#{name} #{age}"; end
case {name: "Bob", age: 30}; in {name:} then name; end
case {name: "Bob", age: 30}; in {name:, **rest} then rest; end
case {name: "Bob"}; in {name:, **nil} then :exact; end
case {name: "Bob", x: 1}; in {name:, **nil} then :exact; else :extra; end
case {status: "ok", data: {items: [1, 2]}}; in {status: "ok", data: {items: [_, *] => items}} then items; end
case 7; in x if x > 5 then :big; in x then :small; end
case 3; in x unless x > 5 then :small; end
case 0; in Integer | Float => n then n; end
case :b; in :a | :b then :ab; end
case nil; in nil then :nil; end
case [1, "x", :y, 2.0]; in [*, String => s, *] then s; end
case [1, 42, "x", :y]; in [*pre, 42, *post] then [pre, post]; end
case [1, 2, 3, 42, 5]; in [*, 40..50 => found, *] then found; end
x = 5; case 5; in ^x then :pinned; end
x = 5; case 6; in ^x then :pinned; else :no; end
case [1, 1]; in [a, ^a] then :same; end
case {v: 2}; in {v: ^(1 + 1)} then :expr_pin; end
case 42; in Integer => n if n.even? then n / 2; end
case 99; in String then 1; end
case {a: 1}; in {b:} then b; end
{name: "A", role: :admin} => {name:}; name
{name: "A", role: :admin} => {role: :admin | :owner => role}; role
[1, [2, 3]] => [x, [_, y]]; [x, y]
42 => Integer => answer; answer
1 => String
{a: 1} => {b:}
5 in Integer
5 in String
{a: 1} in {a: Integer}
[1, 2] in [_, _]
[1, 2] in [_]
({a: [1, 2]} in {a: [*, 2]})
x = [1, "a"]; x in [Integer, String] and :matched
if {code: 200} in {code: 200..299} then :success end
case {type: :circle, r: 2}; in {type: :circle, r:} then (3.14 * r * r).round(2); in {type: :square, side:} then side * side; end
Point = Struct.new(:x, :y); case Point.new(1, 2); in Point[x, y] then x + y; end
Point = Struct.new(:x, :y); case Point.new(1, 2); in {x: 1 => one} then one; end
class Temp; attr_reader :deg; def initialize(d) = @deg = d; def deconstruct_keys(keys) = {deg: @deg}; end; case Temp.new(30); in {deg: 25..} then :hot; end
class Vec; def initialize(*a) = @a = a; def deconstruct = @a; end; case Vec.new(1, 2); in [a, b] then a * b; end
case [1, [2, [3, 4]]]; in [_, [_, [_, z]]] then z; end
case {user: {profile: {name: "Z"}}}; in {user: {profile: {name:}}} then name; end
case "str"; in String | Symbol => v then v.to_sym; end
case []; in [] then :empty; end
case {}; in {} then :empty_hash; end
case {a: 1}; in {} then :empty_hash; else :nonempty; end
case [1, 2, 3]; in [Integer => a, *] if a.odd? then :odd_first; end
case 5; in Float | Integer then :num; end
case "2024-01-05"; in /(\d+)-(\d+)/ then $1; end
case 1.5; in (1..2) then :in_range; end
case [1, nil]; in [_, nil] then :nil_second; end
data = {items: [{id: 1}, {id: 2}]}; case data; in {items: [*, {id: 2} => item, *]} then item; end
config = {db: {user: "admin", pass: "x"}}; config => {db: {user:}}; user
arr = [1, 2, 3]; case arr; in [1, *] | [*, 1] then :has_one_edge; end
case {k: :v}; in {k: :v | :w} then :alt_value; else :no; end
case 5; in Integer => n unless n.zero? then n; end
val = 3; result = case val; in 0 then "zero"; in 1..5 then "small"; else "big"; end; result
case [1, 2]; in [Integer, Integer] | [Float, Float] then :homogeneous; end
case {a: nil}; in {a: nil} then :nil_value; end
case {}; in {a: nil} then :x; else :missing; end
Data.define(:w, :h).new(w: 2, h: 3) => {w:, h:}; w * h
case 1; in Integer | String => v then v; end
in_check = 3 in 1..5; in_check
case [1, [2]]; in [Integer => a, [Integer => b]] then a + b; end
case [:ok, 42]; in [:ok, value] then value; in [:error, msg] then msg; end
case [:error, "bad"]; in [:ok, value] then value; in [:error, msg] then msg; end
begin; case 1; in 2 then :two; end; rescue NoMatchingPatternError => e; e.class; end
begin; {a: 1} => {b:}; rescue NoMatchingPatternKeyError => e; e.key; end
