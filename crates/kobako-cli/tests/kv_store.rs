//! `kobako eval --kv PATH`: the built-in persistent `KV::Store` service.

mod common;

use std::path::PathBuf;

use common::*;

fn temp_store(name: &str) -> PathBuf {
    let path = temp_file(&format!("{name}.redb"), b"");
    std::fs::remove_file(&path).unwrap();
    path
}

/// Runs `kobako eval --json --kv PATH -e CODE`.
fn eval_with_kv(path: &std::path::Path, code: &str) -> (i32, serde_json::Value) {
    let ran = kobako(&["eval", "--json", "--kv", path.to_str().unwrap(), "-e", code]);
    (ran.code, ran.json())
}

#[test]
fn b12_kv_store_round_trips_between_runs() {
    let path = temp_store("round-trip");
    let (code, record) = eval_with_kv(&path, r#"KV::Store.set("a", [1, {b: 2}])"#);
    assert_eq!(code, 0, "{record}");
    let (code, record) = eval_with_kv(
        &path,
        r#"v = KV::Store.get("a"); [v, v[1].keys.first.class.name, KV::Store.keys]"#,
    );
    assert_eq!(code, 0, "{record}");
    assert_eq!(
        record["value"],
        serde_json::json!([[1, {"b": 2}], "Symbol", ["a"]])
    );
    let (_, record) = eval_with_kv(
        &path,
        r#"[KV::Store.delete("a"), KV::Store.get("a"), KV::Store.keys]"#,
    );
    assert_eq!(record["value"], serde_json::json!([[1, {"b": 2}], null, []]));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn e26_kv_store_unknown_method_is_a_service_error() {
    let path = temp_store("unknown");
    let (code, record) = eval_with_kv(&path, "KV::Store.drop_all");
    assert_eq!(code, 2);
    assert_eq!(record["error"]["kind"], "service");
    assert!(
        record["error"]["message"]
            .as_str()
            .unwrap()
            .contains("get, set, delete and keys")
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn e25_kv_store_wrong_arguments_are_argument_faults() {
    let path = temp_store("arguments");
    let (code, record) = eval_with_kv(
        &path,
        "begin; KV::Store.get; rescue Kobako::ServiceError => e; e.message; end",
    );
    assert_eq!(code, 0);
    assert!(
        record["value"]
            .as_str()
            .unwrap()
            .contains("wrong number of arguments"),
        "{record}"
    );
    let (_, record) = eval_with_kv(&path, "KV::Store.set(1, 2)");
    assert!(
        record["error"]["message"]
            .as_str()
            .unwrap()
            .contains("keys are Strings"),
        "{record}"
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn kv_store_that_cannot_be_opened_exits_70() {
    let ran = kobako(&["eval", "--kv", "/nonexistent-dir/kv.redb", "-e", "1"]);
    assert_eq!(ran.code, 70);
    assert!(ran.stderr.contains("cannot open the KV store"));
}
