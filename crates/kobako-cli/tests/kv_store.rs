//! `kobako eval --kv PATH`: the built-in persistent `KV::Store` service.

use std::path::PathBuf;
use std::process::Command;

fn temp_path(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("kobako-kv-{}-{name}.redb", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs `kobako eval --kv PATH -e CODE --json`; returns the exit code and the
/// parsed JSON record.
fn eval_with_kv(path: &PathBuf, code: &str) -> (i32, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_kobako"))
        .args(["eval", "--json", "--kv"])
        .arg(path)
        .args(["-e", code])
        .output()
        .expect("kobako runs");
    let record = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
    (output.status.code().unwrap_or(-1), record)
}

#[test]
fn b12_kv_store_round_trips_between_runs() {
    let path = temp_path("round-trip");
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
    let path = temp_path("unknown");
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
    let path = temp_path("arguments");
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
    let output = Command::new(env!("CARGO_BIN_EXE_kobako"))
        .args(["eval", "--kv", "/nonexistent-dir/kv.redb", "-e", "1"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(70));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot open the KV store"));
}
