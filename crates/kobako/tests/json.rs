//! JSON in the guest (issue 8, part 2): `JSON.parse`, `JSON.generate`,
//! `JSON.pretty_generate` and `#to_json`. Expected values are CRuby 3.3's
//! answers (json 2.7) unless a case says otherwise; docs/conformance.md
//! lists them.

mod common;

use common::*;
use kobako::{Sandbox, Value};

fn s(text: &str) -> Value {
    string(text)
}

fn map(pairs: Vec<(Value, Value)>) -> Value {
    Value::Map(pairs)
}

fn arr(items: Vec<Value>) -> Value {
    Value::Array(items)
}

/// `[error class name, message]` of what `source` raises.
fn raised(source: &str) -> String {
    format!("begin; {source}; :no_error; rescue => e; [e.class.name, e.message]; end")
}

fn error(class: &str, message: &str) -> Value {
    arr(vec![s(class), s(message)])
}

#[test]
fn json_parse_round_trips_core_types() {
    check_cases(&[
        (
            r#"JSON.parse('{"a": [1, 2.5, "x", true, false, null], "b": {}}')"#,
            map(vec![
                (
                    s("a"),
                    arr(vec![
                        Value::Int(1),
                        Value::Float(2.5),
                        s("x"),
                        Value::Bool(true),
                        Value::Bool(false),
                        Value::Nil,
                    ]),
                ),
                (s("b"), map(vec![])),
            ]),
        ),
        (
            r#"JSON.parse('{"a": {"b": 1}}', symbolize_names: true)"#,
            map(vec![(sym("a"), map(vec![(sym("b"), Value::Int(1))]))]),
        ),
        ("JSON.parse('2')", Value::Int(2)),
        ("JSON.parse(' \"s\" ')", s("s")),
        ("JSON.parse('null')", Value::Nil),
        ("JSON.parse('[]')", arr(vec![])),
        (
            r#"JSON.parse('{"a":1,"a":2}')"#,
            map(vec![(s("a"), Value::Int(2))]),
        ),
        (
            "JSON.parse(\"[1, // one\\n 2 /* two */]\")",
            arr(vec![Value::Int(1), Value::Int(2)]),
        ),
        (
            "obj = {'s' => \"é\\u0001\", 'n' => [1, -2, 3.25, nil, true], 'h' => {'k' => []}}; JSON.parse(JSON.generate(obj)) == obj",
            Value::Bool(true),
        ),
        ("JSON.parse(JSON.generate(2**70)) == 2**70", Value::Bool(true)),
    ]);
}

#[test]
fn json_parse_numbers_like_cruby() {
    check_cases(&[
        ("JSON.parse('-0')", Value::Int(0)),
        ("JSON.parse('-0.0')", Value::Float(-0.0)),
        ("JSON.parse('1e3')", Value::Float(1000.0)),
        ("JSON.parse('1E-2')", Value::Float(0.01)),
        ("JSON.parse('0.1')", Value::Float(0.1)),
        ("JSON.parse('-123456789')", Value::Int(-123_456_789)),
        (
            "JSON.parse('9007199254740993')",
            Value::Int(9_007_199_254_740_993),
        ),
        ("JSON.parse('1.7976931348623157e308')", Value::Float(f64::MAX)),
        ("JSON.parse('5e-324')", Value::Float(5e-324)),
        (
            "JSON.parse('2.2250738585072014e-308')",
            Value::Float(2.2250738585072014e-308),
        ),
        (
            "JSON.parse('0.30000000000000004')",
            Value::Float(0.30000000000000004),
        ),
        (
            "n = JSON.parse('123456789012345678901234567890'); [n.class.name, n.to_s]",
            arr(vec![s("Integer"), s("123456789012345678901234567890")]),
        ),
        ("JSON.parse('NaN', allow_nan: true).nan?", Value::Bool(true)),
        (
            "JSON.parse('[Infinity, -Infinity]', allow_nan: true)",
            arr(vec![Value::Float(f64::INFINITY), Value::Float(f64::NEG_INFINITY)]),
        ),
    ]);
}

#[test]
fn json_parse_strings_decode_escapes_and_utf8() {
    check_cases(&[
        (r#"JSON.parse('"\\u00e9\\ud83d\\ude00"')"#, s("é😀")),
        (
            r#"JSON.parse('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"')"#,
            s("a\"b\\c/d\u{8}\u{c}\n\r\t"),
        ),
        ("JSON.parse('\"é日本\"')", s("é日本")),
        ("JSON.parse('\"\\u0000\"').bytes", arr(vec![Value::Int(0)])),
    ]);
}

#[test]
fn json_parse_rejects_malformed_input_with_parser_error() {
    let cases = [
        "JSON.parse('')",
        "JSON.parse('   ')",
        "JSON.parse('[1,]')",
        "JSON.parse('{\"a\":1,}')",
        "JSON.parse('{a: 1}')",
        "JSON.parse(\"{'a': 1}\")",
        "JSON.parse('01')",
        "JSON.parse('1.')",
        "JSON.parse('.5')",
        "JSON.parse('[1] x')",
        "JSON.parse('[1')",
        "JSON.parse('\"abc')",
        "JSON.parse('NaN')",
        "JSON.parse('[Infinity]')",
        "JSON.parse('tru')",
        "JSON.parse(\"\\\"a\\tb\\\"\")",
        "JSON.parse('\"\\x\"')",
        "JSON.parse('\"\\u12\"')",
    ];
    let table: Vec<(String, Value)> = cases
        .iter()
        .map(|source| {
            (
                format!("begin; {source}; :no_error; rescue JSON::ParserError => e; e.class.name; end"),
                s("JSON::ParserError"),
            )
        })
        .collect();
    let borrowed: Vec<(&str, Value)> = table.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    check_cases(&borrowed);
}

#[test]
fn json_parse_error_message_names_the_position() {
    check_cases(&[
        (
            &raised("JSON.parse('[1, x]')"),
            error(
                "JSON::ParserError",
                "unexpected character: 'x' at line 1 column 5",
            ),
        ),
        (
            &raised("JSON.parse(\"{\\n  \\\"a\\\": }\")"),
            error(
                "JSON::ParserError",
                "unexpected character: '}' at line 2 column 8",
            ),
        ),
        (
            &raised("JSON.parse('[1, 2')"),
            error("JSON::ParserError", "unexpected end of input at line 1 column 6"),
        ),
        (
            &raised("JSON.parse('NaN')"),
            error("JSON::ParserError", "unexpected token 'NaN' at line 1 column 1"),
        ),
        (
            &raised("JSON.parse(nil)"),
            error("TypeError", "no implicit conversion of nil into String"),
        ),
    ]);
}

#[test]
fn json_parse_rejects_invalid_utf8_and_lone_surrogates() {
    // CRuby's json would return a String with broken bytes here; the guest
    // refuses instead (documented in docs/conformance.md).
    check_cases(&[
        (
            &raised("JSON.parse(\"\\\"a\\xffb\\\"\")"),
            error("JSON::ParserError", "invalid UTF-8 in string at line 1 column 3"),
        ),
        (
            &raised("JSON.parse('\"\\ud800\"')"),
            error(
                "JSON::ParserError",
                "unpaired surrogate in unicode escape at line 1 column 2",
            ),
        ),
        (
            &raised("JSON.parse('\"\\udc00x\"')"),
            error(
                "JSON::ParserError",
                "unpaired surrogate in unicode escape at line 1 column 2",
            ),
        ),
    ]);
}

#[test]
fn json_parse_limits_nesting_to_100_by_default() {
    check_cases(&[
        ("JSON.parse('[' * 100 + ']' * 100).flatten", arr(vec![])),
        (
            &raised("JSON.parse('[' * 101 + ']' * 101)"),
            error("JSON::NestingError", "nesting of 101 is too deep"),
        ),
        (
            &raised("JSON.parse('{\"a\":' * 101 + '1' + '}' * 101)"),
            error("JSON::NestingError", "nesting of 101 is too deep"),
        ),
        (
            "JSON.parse('[' * 150 + ']' * 150, max_nesting: 200).flatten",
            arr(vec![]),
        ),
        (
            "JSON.parse('[' * 150 + ']' * 150, max_nesting: false).flatten",
            arr(vec![]),
        ),
        (
            &raised("JSON.parse('[' * 3 + ']' * 3, max_nesting: 2)"),
            error("JSON::NestingError", "nesting of 3 is too deep"),
        ),
        (
            "begin; JSON.parse('[' * 101); rescue JSON::ParserError => e; e.class.name; end",
            s("JSON::NestingError"),
        ),
    ]);
}

#[test]
fn json_error_classes_follow_cruby_hierarchy() {
    check_cases(&[
        ("JSON::JSONError.superclass.name", s("StandardError")),
        ("JSON::ParserError.superclass.name", s("JSON::JSONError")),
        ("JSON::NestingError.superclass.name", s("JSON::ParserError")),
        ("JSON::GeneratorError.superclass.name", s("JSON::JSONError")),
    ]);
}

#[test]
fn json_generate_writes_core_types() {
    check_cases(&[
        (
            r#"JSON.generate({"a" => 1, :b => [true, false, nil], 1 => 2.5, "s" => :sym})"#,
            s(r#"{"a":1,"b":[true,false,null],"1":2.5,"s":"sym"}"#),
        ),
        ("JSON.generate([])", s("[]")),
        ("JSON.generate({})", s("{}")),
        ("JSON.generate(nil)", s("null")),
        ("JSON.generate(2**70)", s("1180591620717411303424")),
        ("JSON.generate(-(2**64))", s("-18446744073709551616")),
        ("JSON.generate(-42)", s("-42")),
        ("1.to_json", s("1")),
        ("nil.to_json", s("null")),
        ("true.to_json", s("true")),
        (":sym.to_json", s("\"sym\"")),
        ("'x'.to_json", s("\"x\"")),
        ("[1, 'a'].to_json", s("[1,\"a\"]")),
        ("{a: 1}.to_json", s("{\"a\":1}")),
        ("(1..3).to_json", s("\"1..3\"")),
        (
            "class Custom; def to_s = 'custom'; end; JSON.generate([Custom.new])",
            s("[\"custom\"]"),
        ),
        ("Object.new.to_json.start_with?('\"#<Object:')", Value::Bool(true)),
        (
            "class Point; def initialize(x) = @x = x; def to_json(*a) = {x: @x}.to_json(*a); end; JSON.generate([Point.new(1)])",
            s("[{\"x\":1}]"),
        ),
    ]);
}

#[test]
fn json_generate_escapes_strings_like_cruby() {
    check_cases(&[
        (r#"JSON.generate("a\"b\\c")"#, s(r#""a\"b\\c""#)),
        (r#"JSON.generate("\n\t\r\b\f")"#, s(r#""\n\t\r\b\f""#)),
        (
            r#"JSON.generate("\u0001\u001f\u007f")"#,
            s("\"\\u0001\\u001f\u{7f}\""),
        ),
        (r#"JSON.generate("a/b")"#, s(r#""a/b""#)),
        (r#"JSON.generate("é日本😀")"#, s("\"é日本😀\"")),
        (
            &raised(r#"JSON.generate("\xff")"#),
            error(
                "JSON::GeneratorError",
                "source sequence is illegal/malformed utf-8",
            ),
        ),
    ]);
}

#[test]
fn json_generate_writes_floats_like_cruby() {
    check_cases(&[
        (
            "[1.0, 1e20, 0.1, 1e16, 1e15, 0.0001, 0.00001, -0.0, 1.5e-7, 123456789.123, 2.5, 1.0/3, 100.0].to_json",
            s(
                "[1.0,1.0e+20,0.1,1.0e+16,1000000000000000.0,0.0001,1.0e-05,-0.0,1.5e-07,123456789.123,2.5,0.3333333333333333,100.0]",
            ),
        ),
        (
            "JSON.generate(1.7976931348623157e308)",
            s("1.7976931348623157e+308"),
        ),
        ("JSON.generate(JSON.parse('5e-324'))", s("5.0e-324")),
        ("JSON.generate(0.1 + 0.2)", s("0.30000000000000004")),
        ("JSON.generate(1234567.0)", s("1234567.0")),
        (
            &raised("JSON.generate(Float::NAN)"),
            error("JSON::GeneratorError", "NaN not allowed in JSON"),
        ),
        (
            &raised("JSON.generate([Float::INFINITY])"),
            error("JSON::GeneratorError", "Infinity not allowed in JSON"),
        ),
        (
            &raised("(-Float::INFINITY).to_json"),
            error("JSON::GeneratorError", "-Infinity not allowed in JSON"),
        ),
        (
            "JSON.generate([Float::NAN, -Float::INFINITY], allow_nan: true)",
            s("[NaN,-Infinity]"),
        ),
    ]);
}

#[test]
fn json_pretty_generate_matches_cruby_layout() {
    let expected =
        "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": null\n  }\n}";
    check_cases(&[
        (
            r#"JSON.pretty_generate({"a" => [1, 2], "b" => {}, "c" => [], "d" => {"e" => nil}})"#,
            s(expected),
        ),
        ("JSON.pretty_generate([])", s("[]")),
        ("JSON.pretty_generate(1)", s("1")),
        ("JSON.pretty_generate([[1]])", s("[\n  [\n    1\n  ]\n]")),
    ]);
}

#[test]
fn json_generate_refuses_deep_and_circular_structures() {
    check_cases(&[
        (
            "a = []; 99.times { a = [a] }; JSON.generate(a).size",
            Value::Int(200),
        ),
        (
            "begin; a = []; 100.times { a = [a] }; JSON.generate(a); rescue JSON::NestingError => e; e.class.name; end",
            s("JSON::NestingError"),
        ),
        (
            "begin; a = []; a << a; JSON.generate(a); rescue JSON::NestingError => e; e.class.name; end",
            s("JSON::NestingError"),
        ),
        (
            "begin; h = {}; h[:self] = h; h.to_json; rescue JSON::NestingError => e; e.class.name; end",
            s("JSON::NestingError"),
        ),
        (
            "a = []; 150.times { a = [a] }; JSON.generate(a, max_nesting: false).size",
            Value::Int(302),
        ),
    ]);
}

#[test]
fn json_is_a_builtin_constant_and_unaffected_across_invocations() {
    let sandbox = Sandbox::new().unwrap();
    sandbox.eval("def JSON.generate(*) = 'patched'").unwrap();
    assert_eq!(sandbox.eval("JSON.generate([1])").unwrap().into_value(), s("[1]"));
}

#[test]
fn values_convert_to_rust_types_and_from_json() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Totals {
        count: i64,
        names: Vec<String>,
        ratio: Option<f64>,
    }
    let run = sandbox()
        .eval("{count: 2, names: [:a, 'b'], ratio: nil}")
        .unwrap();
    assert_eq!(run.value().get_sym("count"), Some(&Value::Int(2)));
    assert_eq!(run.value().get_sym("missing"), None);
    let totals: Totals = run.value_as().unwrap();
    assert_eq!(
        totals,
        Totals {
            count: 2,
            names: vec!["a".into(), "b".into()],
            ratio: None
        }
    );
    let e = run.value_as::<Vec<i64>>().unwrap_err();
    assert_eq!(e.kind(), kobako::ErrorKind::Usage, "{e}");

    let parsed = Value::from_json(r#"{"a": [1, -2.5, true, null, "x"]}"#).unwrap();
    assert_eq!(parsed.to_string(), r#"{"a" => [1, -2.5, true, nil, "x"]}"#);
    assert!(Value::from_json("18446744073709551615").is_err());
    assert!(Value::from_json("{nope").is_err());
    assert_eq!(
        serde_json::to_string(&Value::Array(vec![Value::Sym("s".into()), Value::Nil])).unwrap(),
        r#"["s",null]"#
    );
}
