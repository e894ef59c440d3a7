//! The Ruby inside the guest (spec section 9.1): `require`, binary Strings
//! across the boundary, and mruby 4.0 bytecode. The broad CRuby agreement
//! is measured by tests/cruby_differential.rs.

mod common;

use common::*;
use kobako::{Sandbox, Value};

#[test]
fn r02_require_answers_for_built_in_libraries() {
    let value = value_of(
        "[require('json'), require('json'), require('set'), require('enumerator'), \
          JSON.generate([1]), $LOADED_FEATURES.include?('json')]",
    );
    assert_eq!(
        value,
        Value::Array(vec![
            Value::Bool(true),
            Value::Bool(false),
            Value::Bool(true),
            Value::Bool(false),
            string("[1]"),
            Value::Bool(true),
        ])
    );
}

#[test]
fn r02_other_libraries_and_relative_loads_raise_load_error() {
    let sandbox = sandbox();
    for (script, needle) in [
        ("require 'socket'", "cannot load such file -- socket"),
        ("require_relative 'helper'", "cannot load such file -- helper"),
        ("load 'x.rb'", "cannot load such file -- x.rb"),
    ] {
        let e = error_of(&sandbox, script);
        assert_eq!(failure(&e).klass(), Some("LoadError"), "{script}");
        assert!(failure(&e).message().contains(needle), "{script}: {e}");
    }
    let e = error_of(&sandbox, "require :json");
    assert_eq!(failure(&e).klass(), Some("TypeError"));
    assert_eq!(
        value_of("begin; require 'nope'; rescue LoadError => e; [e.class.superclass.name, e.message]; end"),
        Value::Array(vec![
            string("ScriptError"),
            string("cannot load such file -- nope")
        ])
    );
}

#[test]
fn r03_binary_strings_leave_the_guest_as_bytes() {
    assert_eq!(value_of("\"é\".b"), Value::Bin(vec![0xc3, 0xa9]));
    // Valid UTF-8 still crosses as bytes once the String is binary.
    assert_eq!(value_of("'abc'.b"), Value::Bin(b"abc".to_vec()));
    assert_eq!(
        value_of("'é'.dup.force_encoding('ASCII-8BIT')"),
        Value::Bin(vec![0xc3, 0xa9])
    );
    assert_eq!(value_of("'é'.b.force_encoding('UTF-8')"), string("é"));
}

#[test]
fn r03_host_bytes_arrive_as_binary_strings() {
    let mut builder = Sandbox::builder();
    builder
        .preload_source(
            "Probe",
            "Probe = ->(s) { [s.encoding.to_s, s.bytesize, s.length, s] }",
        )
        .unwrap();
    let sandbox = builder.build().unwrap();
    let run = sandbox
        .run("Probe", &[Value::Bin(vec![0xc3, 0xa9, 0xff])], [])
        .unwrap();
    assert_eq!(
        run.into_value(),
        Value::Array(vec![
            string("ASCII-8BIT"),
            Value::Int(3),
            Value::Int(3),
            Value::Bin(vec![0xc3, 0xa9, 0xff]),
        ])
    );
}

#[test]
fn p04_io_stands_for_the_two_captured_streams() {
    let sandbox = sandbox();
    let run = sandbox
        .eval(
            "io = IO.new(1, 'w'); io.puts('via IO'); \
             [$stdout.class.name, $stderr.class.name, STDOUT.fileno, IO.new(2, 'w').fileno]",
        )
        .unwrap();
    assert_eq!(run.output().stdout(), b"via IO\n");
    assert_eq!(
        run.value(),
        &Value::Array(vec![string("IO"), string("IO"), Value::Int(1), Value::Int(2)])
    );
    for (script, message) in [
        ("IO.new(0, 'w')", "kobako IO only supports fd 1 and 2"),
        ("IO.new(3, 'w')", "kobako IO only supports fd 1 and 2"),
        ("IO.new(1, 'r')", "kobako IO only supports mode \"w\""),
    ] {
        let e = error_of(&sandbox, script);
        assert_eq!(failure(&e).klass(), Some("ArgumentError"), "{script}");
        assert_eq!(failure(&e).message(), message, "{script}");
    }
}

#[test]
fn p05_a_value_that_cannot_cross_says_so_in_kobakos_words() {
    let sandbox = sandbox();
    let e = error_of(&sandbox, "Object.new");
    assert!(
        failure(&e)
            .message()
            .starts_with("Object is not a supported sandbox value type"),
        "{e}"
    );
}

#[test]
fn p05_kobako_wording_for_regexps_and_run_targets() {
    let sandbox = sandbox();
    let message = value_of("begin; Regexp.new('('); rescue RegexpError => e; e.message; end");
    assert!(
        message
            .as_str()
            .unwrap()
            .starts_with("invalid regular expression: "),
        "{message}"
    );
    let e = sandbox.run("lowercase", &[], []).unwrap_err();
    assert!(e.to_string().contains("must match"), "{e}");
}
