//! `kobako run` (preload a file, call an entrypoint) and `kobako compile`
//! (bytecode from the guest's compiler): B-31, B-32, X-03, E-15, E-18.

mod common;

use common::*;

const RULES: &[u8] = b"Discount = ->(price, opts = {}) { price * (100 - opts.fetch(:pct, 10)) / 100 }\nShout = ->(s) { puts s; s.upcase }\n";

#[test]
fn b31_run_calls_the_entry_with_json_arguments() {
    let file = temp_file("rules.rb", RULES);
    let path = file.to_str().unwrap();
    let Ran { code, stdout, .. } = kobako(&[
        "run",
        path,
        "--entry",
        "Discount",
        "--arg",
        "200",
        "--kwargs",
        r#"{"pct": 25}"#,
    ]);
    assert_eq!((code, stdout.as_str()), (0, "=> 150\n"));
    let Ran { code, stdout, .. } = kobako(&["run", path, "--entry", "Shout", "--arg", r#""hi""#, "--json"]);
    assert_eq!(code, 0);
    let record: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (record["value"].as_str(), record["stdout"].as_str()),
        (Some("HI"), Some("hi\n"))
    );
}

#[test]
fn b31_run_passes_json_object_keys_as_keywords_to_an_entry_that_declares_them() {
    let file = temp_file("adder.rb", b"Adder = ->(a, b, scale: 1) { (a + b) * scale }\n");
    let Ran { code, stdout, stderr } = kobako(&[
        "run",
        file.to_str().unwrap(),
        "--entry",
        "Adder",
        "--arg",
        "2",
        "--arg",
        "3",
        "--kwargs",
        r#"{"scale": 10}"#,
    ]);
    assert_eq!((code, stdout.as_str()), (0, "=> 50\n"), "{stderr}");
}

#[test]
fn x03_e18_run_with_a_missing_entry_lists_the_available_ones() {
    let file = temp_file("rules2.rb", RULES);
    let Ran { code, stderr, .. } = kobako(&["run", file.to_str().unwrap(), "--entry", "Discont"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("undefined entrypoint: Discont; available entrypoints: Discount, Shout"),
        "{stderr}"
    );
}

#[test]
fn b32_compile_writes_bytecode_that_run_loads() {
    let source = temp_file("lib.rb", RULES);
    let out = source.with_extension("mrb");
    let Ran { code, stderr, .. } =
        kobako(&["compile", source.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"RITE0400"));
    let Ran { code, stdout, .. } =
        kobako(&["run", out.to_str().unwrap(), "--entry", "Discount", "--arg", "10"]);
    assert_eq!((code, stdout.as_str()), (0, "=> 9\n"));
}

#[test]
fn e15_compile_reports_syntax_errors_with_the_snippet_and_line() {
    let source = temp_file("broken_rules.rb", b"x = 1\ndef (\n");
    let out = std::env::temp_dir().join("kobako-never-written.mrb");
    let Ran { code, stderr, .. } =
        kobako(&["compile", source.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1);
    let expected = format!("SyntaxError: {}:3", source.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
}

#[test]
fn e42_run_refuses_bad_json_arguments() {
    let file = temp_file("rules3.rb", RULES);
    let path = file.to_str().unwrap();
    assert_eq!(
        kobako(&["run", path, "--entry", "Shout", "--arg", "{nope"]).code,
        64
    );
    assert_eq!(
        kobako(&["run", path, "--entry", "Shout", "--kwargs", "[1]"]).code,
        64
    );
    assert_eq!(
        kobako(&["run", path, "--entry", "Shout", "--arg", "18446744073709551615"]).code,
        64
    );
}

/// A program the guest's compiler needs several MiB to compile.
fn many_methods(methods: usize) -> Vec<u8> {
    let mut source = String::new();
    for i in 0..methods {
        source.push_str(&format!("def m{i}; \"{}\" + \"{i}\"; end\n", "b".repeat(40)));
    }
    source.push_str("Pick = ->(i) { send(\"m#{i}\") }\n");
    source.into_bytes()
}

#[test]
fn l08_compile_runs_under_the_memory_limit_and_its_bytecode_runs_under_it_too() {
    let source = temp_file("many_methods.rb", &many_methods(6_000));
    let (path, out) = (source.to_str().unwrap(), source.with_extension("mrb"));
    let out = out.to_str().unwrap();
    let Ran { code, stderr, .. } = kobako(&["compile", path, "-o", out]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.starts_with(&format!("compiling {path}: memory_limit exceeded")),
        "{stderr}"
    );
    assert!(stderr.contains("raise it with --memory-limit BYTES"), "{stderr}");

    let cap = "16777216";
    let Ran { code, stderr, .. } = kobako(&["compile", path, "-o", out, "--memory-limit", cap]);
    assert_eq!(code, 0, "{stderr}");
    let Ran { code, stdout, stderr } = kobako(&[
        "run",
        out,
        "--entry",
        "Pick",
        "--arg",
        "5999",
        "--memory-limit",
        cap,
    ]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "=> \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb5999\"\n"),
        "{stderr}"
    );
}

#[test]
fn l08_compile_takes_its_caps_from_the_manifest_and_flags_win() {
    let source = temp_file("many_methods_manifest.rb", &many_methods(6_000));
    let manifest = temp_file(
        "compile_caps.toml",
        b"[limits]\nmemory_limit = 16777216\ntimeout = 0.001\n",
    );
    let (path, out) = (source.to_str().unwrap(), source.with_extension("mrb"));
    let (out, manifest) = (out.to_str().unwrap(), manifest.to_str().unwrap());
    let Ran { code, stderr, .. } = kobako(&["compile", path, "-o", out, "--manifest", manifest]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("stopped at the time limit"), "{stderr}");
    let Ran { code, stderr, .. } = kobako(&[
        "compile",
        path,
        "-o",
        out,
        "--manifest",
        manifest,
        "--timeout",
        "60",
    ]);
    assert_eq!(code, 0, "{stderr}");
}
