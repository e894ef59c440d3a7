# JSON: require 'json' first (as scripts do), then generate / parse.
require 'json'; JSON.generate({a: 1, b: [true, nil]})
require 'json'; JSON.generate([1, 2.5, "x"])
require 'json'; JSON.generate("str")
require 'json'; JSON.generate(nil)
require 'json'; JSON.generate(1.0)
require 'json'; JSON.generate(1e20)
require 'json'; JSON.generate(0.1 + 0.2)
require 'json'; JSON.generate(-0.0)
require 'json'; JSON.generate(2**70)
require 'json'; JSON.generate(Float::NAN)
require 'json'; JSON.generate(Float::INFINITY)
require 'json'; JSON.generate({1 => 2})
require 'json'; JSON.generate({nil => 1})
require 'json'; JSON.generate(:sym)
require 'json'; JSON.generate({sym: :val})
require 'json'; JSON.generate("é")
require 'json'; JSON.generate("\u2028")
require 'json'; JSON.generate("tab\tnl\nq\"bs\\")
require 'json'; JSON.generate("\u0001")
require 'json'; JSON.generate("</script>")
require 'json'; JSON.generate("😀")
require 'json'; JSON.generate("a/b")
require 'json'; JSON.generate({})
require 'json'; JSON.generate([])
require 'json'; JSON.generate([[], {}])
require 'json'; {a: 1}.to_json
require 'json'; [1, "two", nil].to_json
require 'json'; "x".to_json
require 'json'; nil.to_json
require 'json'; 1.to_json
require 'json'; 1.5.to_json
require 'json'; true.to_json
require 'json'; :s.to_json
require 'json'; (1..3).to_json
require 'json'; Struct.new(:a).new(1).to_json
require 'json'; Object.new.to_json.start_with?("\"#<Object")
require 'json'; JSON.pretty_generate({a: 1, b: [1, 2], c: {}})
require 'json'; JSON.pretty_generate([])
require 'json'; JSON.pretty_generate({})
require 'json'; JSON.pretty_generate([1, [2, {x: nil}]])
require 'json'; JSON.pretty_generate("s")
require 'json'; JSON.pretty_generate({"a" => {"b" => {"c" => [1]}}})
require 'json'; JSON.parse('{"a": 1, "b": [true, false, null]}')
require 'json'; JSON.parse('{"a": 1}', symbolize_names: true)
require 'json'; JSON.parse('[1, 2.5, -3e2, 0.1]')
require 'json'; JSON.parse('"str"')
require 'json'; JSON.parse('1')
require 'json'; JSON.parse('null')
require 'json'; JSON.parse('')
require 'json'; JSON.parse('{')
require 'json'; JSON.parse('[1,]')
require 'json'; JSON.parse('{"a":1,}')
require 'json'; JSON.parse("{'a': 1}")
require 'json'; JSON.parse('[NaN]')
require 'json'; JSON.parse('[NaN]', allow_nan: true)
require 'json'; JSON.parse('"\u00e9\ud83d\ude00"')
require 'json'; JSON.parse('"\\u00e9"')
require 'json'; JSON.parse('"\\ud83d\\ude00"')
require 'json'; JSON.parse('"a\\nb\\t\\"c\\\\"')
require 'json'; JSON.parse('12345678901234567890')
require 'json'; JSON.parse('1.0')
require 'json'; JSON.parse('1E2')
require 'json'; JSON.parse('-0')
require 'json'; JSON.parse('-0.0')
require 'json'; JSON.parse('[01]')
require 'json'; JSON.parse('{"a": 1, "a": 2}')
require 'json'; JSON.parse('  [ 1 , 2 ]  ')
require 'json'; JSON.parse('[1] x')
require 'json'; JSON.parse('// c\n[1]')
require 'json'; JSON.parse('[1, /* c */ 2]')
require 'json'; JSON.parse('{"a": {"b": [{"c": 3}]}}').dig("a", "b", 0, "c")
require 'json'; JSON.parse(JSON.generate({"k" => [1, {"n" => nil}]}))
require 'json'; JSON.parse({a: 1}.to_json, symbolize_names: true)[:a]
require 'json'; JSON.parse('[' * 101 + ']' * 101)
require 'json'; JSON.parse('[' * 100 + ']' * 100).flatten
require 'json'; JSON.generate(JSON.parse('{"x": 1.5e300}'))
require 'json'; JSON.parse('{"x": 1.5e300}')["x"]
require 'json'; JSON.parse('1e400')
require 'json'; JSON.parse('{"a": "b"}').class
require 'json'; JSON::ParserError.ancestors.include?(StandardError)
require 'json'; begin; JSON.parse('oops'); rescue JSON::ParserError => e; e.class; end
require 'json'; JSON.dump({a: 1})
require 'json'; JSON.dump("s")
require 'json'; JSON.load('[1, 2]')
require 'json'; JSON.load(nil)
require 'json'; JSON('[1]')
require 'json'; JSON([1])
require 'json'; JSON.generate({a: 1}, space: " ")
require 'json'; JSON.generate([1, 2], array_nl: "\n")
require 'json'; JSON.pretty_generate({a: 1}, indent: "    ")
require 'json'; class Pt; def initialize(x) = @x = x; def to_json(*a) = {x: @x}.to_json(*a); end; JSON.generate([Pt.new(1)])
require 'json'; class Pt; def initialize(x) = @x = x; def to_h = {x: @x}; def to_json(*a) = to_h.to_json(*a); end; Pt.new(2).to_json
require 'json'; class Pt; def initialize(x) = @x = x; def to_json(*a) = {x: @x}.to_json(*a); end; JSON.pretty_generate({p: Pt.new(1)})
require 'json'; JSON.generate("\xff") rescue $!.class
require 'json'; JSON.parse('"\xff"') rescue $!.class
require 'json'; JSON.parse('{"a":1}', symbolize_names: true).keys
require 'json'; JSON.generate([1, [2, [3]]], max_nesting: 2) rescue $!.class
require 'json'; JSON.parse('[[[1]]]', max_nesting: 2) rescue $!.class
require 'json'; JSON.parse('[1, 2]', freeze: true).frozen?
require 'json'; JSON.parse('true')
require 'json'; JSON.parse('"\\u0041"')
require 'json'; JSON.parse('{"a":[]}')["a"].empty?
require 'json'; JSON.generate({"key with space" => "v"})
require 'json'; JSON.generate([1.0, 2.50, 100.0, 1.0e-5])
require 'json'; JSON.generate(12345678.9)
require 'json'; JSON.generate(1.0 / 3)
require 'json'; JSON.generate({t: Time.at(0).utc}) rescue :err
require 'json'; JSON.parse("[1,\n2]")
require 'json'; JSON.parse('{"n": 3}').transform_keys(&:to_sym)
require 'json'; JSON.pretty_generate(JSON.parse('{"a":[1,2],"b":{"c":null}}'))
require 'json'; JSON.parse('"\\/"')
require 'json'; JSON.generate("\u007f")
require 'json'; JSON.generate("\x00")
require 'json'; JSON.generate({"a" => nil}.compact)
require 'json'; [1, 2].to_json.class
require 'json'; JSON.parse(JSON.generate("é\n")) == "é\n"
