//! Regexp in the guest (issue 8, part 3): Oniguruma with Ruby syntax.
//! Expected values are CRuby 3.3's answers unless a case says otherwise;
//! docs/conformance.md ("Regexp and JSON") lists them.

mod common;

use std::time::{Duration, Instant};

use common::*;
use kobako::{Sandbox, Value};

fn s(text: &str) -> Value {
    string(text)
}

fn strs(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|t| s(t)).collect())
}

fn int(n: i64) -> Value {
    Value::Int(n)
}

#[test]
fn regexp_literals_and_new_match_with_flags() {
    check_cases(&[
        ("'hello world' =~ /wor/", int(6)),
        ("/wor/ =~ 'hello world'", int(6)),
        ("'hello' =~ /xyz/", Value::Nil),
        ("'HeLLo' =~ /hello/i", int(0)),
        ("\"a\\nb\" =~ /a.b/", Value::Nil),
        ("\"a\\nb\" =~ /a.b/m", int(0)),
        ("'abc' =~ /a b c/x", int(0)),
        ("Regexp.new('b+').match('abbbc')[0]", s("bbb")),
        ("Regexp.new('B', Regexp::IGNORECASE) =~ 'abc'", int(1)),
        ("Regexp.new('B', 'i') =~ 'abc'", int(1)),
        ("/(\\d+)-(\\d+)/.source", s("(\\d+)-(\\d+)")),
        ("/ab/i.inspect", s("/ab/i")),
        ("/ab/.to_s", s("(?-mix:ab)")),
        ("/a/mix.options", int(7)),
        ("Regexp.new('a/b').inspect", s("/a\\/b/")),
        ("x = 'or'; \"world\" =~ /w#{x}/", int(0)),
        ("/a/ == /a/", Value::Bool(true)),
        ("/a/ == /a/i", Value::Bool(false)),
        ("Regexp.escape('a.b*c? d')", s("a\\.b\\*c\\?\\ d")),
        ("Regexp.union('a.b', /c/i).source", s("a\\.b|(?i-mx:c)")),
        (
            "begin; Regexp.new('('); rescue RegexpError => e; e.class.name; end",
            s("RegexpError"),
        ),
        ("'日本語' =~ /本/", int(1)),
        ("/\\p{Han}+/.match('abc日本語')[0]", s("日本語")),
        ("case 'hello' when /^h/ then :yes else :no end", sym("yes")),
    ]);
}

#[test]
fn regexp_match_data_exposes_groups_and_offsets() {
    check_cases(&[
        (
            "m = /(\\d+)-(\\d+)/.match('tel: 555-1234 x'); [m[0], m[1], m[2], m[3]]",
            Value::Array(vec![s("555-1234"), s("555"), s("1234"), Value::Nil]),
        ),
        (
            "m = /(\\d+)-(\\d+)/.match('tel: 555-1234 x'); [m.pre_match, m.post_match]",
            strs(&["tel: ", " x"]),
        ),
        (
            "m = /(\\d+)-(\\d+)/.match('tel: 555-1234 x'); m.captures",
            strs(&["555", "1234"]),
        ),
        (
            "m = /(\\d+)-(\\d+)/.match('tel: 555-1234 x'); [m.begin(0), m.end(0), m.begin(2)]",
            Value::Array(vec![int(5), int(13), int(9)]),
        ),
        (
            "m = /(?<year>\\d{4})-(?<month>\\d\\d)/.match('on 2024-05'); [m[:year], m['month']]",
            strs(&["2024", "05"]),
        ),
        (
            "/(?<year>\\d{4})-(?<month>\\d\\d)/.match('on 2024-05').named_captures",
            Value::Map(vec![(s("year"), s("2024")), (s("month"), s("05"))]),
        ),
        ("/(?<a>x)|(?<b>y)/.match('y').names", strs(&["a", "b"])),
        (
            "m = /(a)(b)?/.match('a'); [m.size, m[2], m.to_a.size]",
            Value::Array(vec![int(3), Value::Nil, int(3)]),
        ),
        ("/(.)(.)/.match('日本語').post_match", s("語")),
        (
            "m = /本/.match('日本語'); [m.begin(0), m.end(0)]",
            Value::Array(vec![int(1), int(2)]),
        ),
        (
            "/(\\d)(x)?/.match('a1').inspect",
            s("#<MatchData \"1\" 1:\"1\" 2:nil>"),
        ),
        ("/b/.match('abc', 2)", Value::Nil),
        ("/b/.match?('abc')", Value::Bool(true)),
        ("/z/.match('abc') { |m| :never }", Value::Nil),
        ("/b/.match('abc') { |m| m.pre_match }", s("a")),
    ]);
}

#[test]
fn regexp_sets_last_match_globals() {
    check_cases(&[
        (
            "'key=value' =~ /(\\w+)=(\\w+)/; [$~[0], $1, $2, $3]",
            Value::Array(vec![s("key=value"), s("key"), s("value"), Value::Nil]),
        ),
        ("'a-b' =~ /-/; [$`, $&, $']", strs(&["a", "-", "b"])),
        (
            "'abc' =~ /(b)/; 'abc' =~ /z/; [$~, $1]",
            Value::Array(vec![Value::Nil, Value::Nil]),
        ),
        ("'abc'.match?(/(b)/); $~", Value::Nil),
        ("'x1y2'.gsub(/\\d/) { $~[0] * 2 }", s("x11y22")),
        ("'abc' =~ /(b)/; Regexp.last_match(1)", s("b")),
    ]);
}

#[test]
fn regexp_string_methods_take_patterns() {
    check_cases(&[
        ("'hello world'.match(/o (w)/)[1]", s("w")),
        ("'hello'.match?(/ll/)", Value::Bool(true)),
        ("'a1b22c333'.scan(/\\d+/)", strs(&["1", "22", "333"])),
        (
            "'a=1, b=2'.scan(/(\\w)=(\\d)/)",
            Value::Array(vec![strs(&["a", "1"]), strs(&["b", "2"])]),
        ),
        (
            "r = []; 'ab'.scan(/./) { |c| r << c.upcase }; r",
            strs(&["A", "B"]),
        ),
        ("'abc'.scan(//)", strs(&["", "", "", ""])),
        ("'hello world'.sub(/o/, '0')", s("hell0 world")),
        ("'hello world'.gsub(/o/, '0')", s("hell0 w0rld")),
        ("'john smith'.gsub(/(\\w+) (\\w+)/, '\\2, \\1')", s("smith, john")),
        (
            "'2024-05'.sub(/(?<y>\\d+)-(?<m>\\d+)/, '\\k<m>/\\k<y>')",
            s("05/2024"),
        ),
        ("'abc'.gsub(/b/, '[\\0]')", s("a[b]c")),
        (r"'abc'.gsub(/b/, '<\\\\&>')", s(r"a<\&>c")),
        ("'abc'.gsub(/b/, '<\\&>')", s("a<b>c")),
        (
            "'cat hat'.gsub(/[ch]at/, 'cat' => 'dog', 'hat' => 'cap')",
            s("dog cap"),
        ),
        ("'hello'.gsub(/l/) { |m| m.upcase }", s("heLLo")),
        ("'abc'.gsub(/x*/, '-')", s("-a-b-c-")),
        ("'日本語'.gsub(/本/, 'x')", s("日x語")),
        ("s = +'aaa'; [s.sub!(/a/, 'b'), s]", strs(&["baa", "baa"])),
        ("s = +'aaa'; s.gsub!(/z/, 'b')", Value::Nil),
        ("'a, b,c'.split(/,\\s*/)", strs(&["a", "b", "c"])),
        ("'a1b2c3'.split(/\\d/)", strs(&["a", "b", "c"])),
        ("'a-b_c'.split(/([-_])/)", strs(&["a", "-", "b", "_", "c"])),
        ("'abc'.split(//)", strs(&["a", "b", "c"])),
        ("' a  b '.split(/\\s+/)", strs(&["", "a", "b"])),
        ("'a,b,,c,,'.split(/,/)", strs(&["a", "b", "", "c"])),
        ("'a,b,,c,,'.split(/,/, -1)", strs(&["a", "b", "", "c", "", ""])),
        ("'a,b,c'.split(/,/, 2)", strs(&["a", "b,c"])),
        ("''.split(/,/)", Value::Array(vec![])),
        ("'日本語'.split(//)", strs(&["日", "本", "語"])),
        ("'hello world'[/w\\w+/]", s("world")),
        ("'key: val'[/(\\w+): (\\w+)/, 2]", s("val")),
        ("'hello'[/z/]", Value::Nil),
        ("'hello world'.index(/o/)", int(4)),
        ("'hello world'.index(/o/, 5)", int(7)),
        ("'日本語'.index(/語/)", int(2)),
        ("'hello'.partition(/l+/)", strs(&["he", "ll", "o"])),
        ("'hello'.start_with?(/h.l/)", Value::Bool(true)),
        ("'a,b'.split(',')", strs(&["a", "b"])),
        ("'abc'.sub('b', 'x')", s("axc")),
    ]);
}

#[test]
fn regexp_searches_from_the_end_and_edits_in_place() {
    check_cases(&[
        ("'hello'.rindex(/l/)", int(3)),
        ("'hello'.rindex(/l/, 2)", int(2)),
        ("'hello'.rindex(/l/, -3)", int(2)),
        ("'abc'.rindex(/b/, -10)", Value::Nil),
        ("'hello'.rindex(/x/)", Value::Nil),
        ("'héllo wörld'.rindex(/ö/)", int(7)),
        ("'hello'.rindex(/l/); $~[0]", s("l")),
        ("'hello'.rindex('l')", int(3)),
        ("'héllo'.byteindex(/l/)", int(3)),
        ("'héllo'.byterindex(/l/)", int(4)),
        ("'hello'.byteindex(/l/, 4)", Value::Nil),
        ("'hello'.rpartition(/l/)", strs(&["hel", "l", "o"])),
        ("'hello'.rpartition(/x/)", strs(&["", "", "hello"])),
        ("'a-b-c'.rpartition('-')", strs(&["a-b", "-", "c"])),
        ("x = 'hello'; [x.slice!(/l+/), x]", strs(&["ll", "heo"])),
        ("x = 'hello'; [x.slice!(/(e)(l+)/, 2), x]", strs(&["ll", "heo"])),
        (
            "x = 'hello'; [x.slice!(/x/), x]",
            Value::Array(vec![Value::Nil, s("hello")]),
        ),
        ("x = 'hello'; x[/l+/] = 'L'; x", s("heLo")),
        ("x = 'hello'; x[/(e)(l+)/, 1] = 'E'; x", s("hEllo")),
        ("x = 'hello'; x[/(?<ls>l+)/, 'ls'] = '_'; x", s("he_o")),
        (
            "begin; 'hello'[/x/] = 'y'; rescue IndexError => e; e.message; end",
            s("regexp not matched"),
        ),
    ]);
}

#[test]
fn regexp_timeout_settings_are_checked_and_kept() {
    check_cases(&[
        ("Regexp.timeout", Value::Nil),
        ("Regexp.timeout = 1.5; Regexp.timeout", Value::Float(1.5)),
        ("Regexp.new('a', timeout: 2).timeout", Value::Float(2.0)),
        ("/a/.timeout", Value::Nil),
        (
            "begin; Regexp.timeout = -1; rescue ArgumentError => e; e.message; end",
            s("invalid timeout: -1"),
        ),
        (
            "begin; Regexp.new('a', timeout: 'x'); rescue ArgumentError => e; e.message; end",
            s("invalid timeout: \"x\""),
        ),
    ]);
}

#[test]
fn regexp_catastrophic_backtracking_ends_within_the_timeout() {
    let sandbox = Sandbox::builder()
        .timeout(Some(Duration::from_secs(10)))
        .build()
        .unwrap();
    let started = Instant::now();
    let result = sandbox.eval(
        "begin; ('a' * 30 + 'b') =~ /(a+)+c/; rescue Regexp::TimeoutError => e; [e.class.name, e.class.superclass.name]; end",
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let value = result
        .expect("ends in a value or Regexp::TimeoutError")
        .into_value();
    assert!(
        value == Value::Nil || value == strs(&["Regexp::TimeoutError", "RegexpError"]),
        "{value}"
    );
}

#[test]
fn regexp_refuses_invalid_utf8_subjects() {
    check_cases(&[(
        "begin; \"a\\xffb\" =~ /b/; rescue ArgumentError => e; e.message; end",
        s("invalid byte sequence in UTF-8"),
    )]);
}
