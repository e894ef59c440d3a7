# Exercises the C glue that `cargo xtask sanitize` checks (Regexp on
# Oniguruma, JSON parse and generate), with collections in between, so a
# use-after-free or an overflow in that code meets AddressSanitizer.

failures = 0
check = ->(ok) { failures += 1 unless ok }

300.times do |i|
  text = "abc #{i} héllo wörld foo=bar, baz=#{i * 7} ∑ " * 3
  pair = Regexp.new("(?<k>\\w+)=(?<v>\\w+)")
  text.scan(pair) { |k, v| check.(k.is_a?(String) && v.is_a?(String)) }
  m = pair.match(text)
  check.(m[:k] == "foo" && m.pre_match.start_with?("abc") && m.offset(:v).size == 2)
  check.(m.named_captures == { "k" => "foo", "v" => "bar" })
  check.(text.gsub(/o/) { $&.upcase }.include?("O"))
  check.(text.sub(/(\w+)/, '<\1>').start_with?("<abc>"))
  check.(text.split(/,\s*/).size == 4)
  check.((text =~ /ö/) == 12 + i.to_s.size && $~[0] == "ö")
  check.(text.gsub(/[ab]/, "a" => "1", "b" => "2").start_with?("12c"))
  check.(text.rindex(/o/) > text.index(/o/))
  check.(text.rpartition(/=/)[2].start_with?(i.*(7).to_s))
  copy = text.dup
  copy[/w\S+/] = "world"
  check.(copy.slice!(/héllo /) == "héllo ")
  check.(!text.match?(/xyz/i))
  begin
    Regexp.new("(a|b")
    check.(false)
  rescue RegexpError
    check.(true)
  end
  begin
    ("a" * 30 + "b") =~ /(a+)+c/
  rescue Regexp::TimeoutError
    check.(true)
  end
  doc = { "a" => [1, 2.5, nil, true, "x\u00e9\n\u0001", { "b" => i }], "big" => 2**70, "neg" => -2**31 }
  json = JSON.generate(doc)
  check.(JSON.parse(json) == doc)
  check.(JSON.parse(json, symbolize_names: true)[:a][5] == { b: i })
  check.(JSON.parse(JSON.pretty_generate(doc)) == doc)
  begin
    JSON.parse("[" * 200 + "]" * 200)
    check.(false)
  rescue JSON::NestingError
    check.(true)
  end
  begin
    JSON.parse("{\"a\": }")
    check.(false)
  rescue JSON::ParserError
    check.(true)
  end
  check.([1, "a", nil, { x: 1 }].to_json == '[1,"a",null,{"x":1}]')
  GC.start if i % 50 == 0
end

raise "glue stress: #{failures} checks failed" unless failures.zero?
