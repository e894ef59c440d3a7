//! `kobako eval --kv PATH`: the built-in persistent `KV::Store` service.

mod common;

use std::path::{Path, PathBuf};

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

/// Runs `kobako eval --json --manifest MANIFEST --memory-limit 64 MiB
/// --timeout SECS -e CODE`: guest memory enough to build 1 MiB values.
fn eval_under_manifest(manifest: &Path, timeout: &str, code: &str) -> (i32, serde_json::Value) {
    let ran = eval_with_manifest(
        manifest,
        &[
            "--json",
            "--memory-limit",
            "67108864",
            "--timeout",
            timeout,
            "-e",
            code,
        ],
    );
    (ran.code, ran.json())
}

/// A manifest binding a fresh store `name.redb` with `extra` lines added to
/// `[services.kv]`; returns the manifest and the store's path.
fn kv_manifest(name: &str, extra: &str) -> (PathBuf, PathBuf) {
    let store = temp_store(name);
    let text = format!("[services.kv]\npath = \"{name}.redb\"\n{extra}");
    let manifest = temp_file(&format!("{name}.toml"), text.as_bytes());
    (manifest, store)
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The message of the first `Kobako::ServiceError` a loop of writes met,
/// and how many writes passed before it. `GC.start` keeps the guest's
/// garbage (an encoded copy of each value) from meeting its memory cap.
const FILL: &str = "i = 0; begin; loop { KV::Store.set(\"k#{i}\", VALUE); i += 1; GC.start }; \
                    rescue Kobako::ServiceError => e; [i, e.message]; end";

#[test]
fn a_value_over_max_value_bytes_is_a_rescuable_service_error() {
    let (manifest, store) = kv_manifest("value-cap", "");
    let (code, record) = eval_under_manifest(
        &manifest,
        "30",
        "begin; KV::Store.set('big', 'x' * 2_000_000); :stored; \
         rescue Kobako::ServiceError => e; [e.message, KV::Store.keys]; end",
    );
    assert_eq!(code, 0, "{record}");
    let message = record["value"][0].as_str().unwrap_or_default();
    assert!(
        message.contains("1048576") && message.contains("services.kv.max_value_bytes"),
        "the message names the limit and the key to raise it: {record}"
    );
    assert_eq!(record["value"][1], serde_json::json!([]), "nothing stored");
    let _ = std::fs::remove_file(&store);
}

#[test]
fn a_key_over_max_key_bytes_is_refused() {
    let (manifest, store) = kv_manifest("key-cap", "max_key_bytes = 8\n");
    let (code, record) = eval_under_manifest(
        &manifest,
        "30",
        "KV::Store.set('12345678', 1); \
         begin; KV::Store.set('123456789', 1); rescue Kobako::ServiceError => e; e.message; end",
    );
    assert_eq!(code, 0, "{record}");
    let message = record["value"].as_str().unwrap_or_default();
    assert!(
        message.contains("9 bytes") && message.contains("services.kv.max_key_bytes"),
        "{record}"
    );
    let _ = std::fs::remove_file(&store);
}

#[test]
fn filling_the_store_with_1_mib_values_stops_at_max_total_bytes() {
    // The hostile script that took one 10 s run to a 1.09 GB file: 1 MiB
    // values in a loop. The default cap (64 MiB) stops it, in this run and
    // the next (the totals are kept in the file).
    let (manifest, store) = kv_manifest("fill-bytes", "");
    let fill = FILL.replace("VALUE", "'x' * 1_000_000");
    let (code, record) = eval_under_manifest(&manifest, "60", &fill);
    assert_eq!(code, 0, "{record}");
    let written = record["value"][0].as_u64().unwrap_or(u64::MAX);
    assert!((60..=67).contains(&written), "{record}");
    let message = record["value"][1].as_str().unwrap_or_default();
    assert!(message.contains("services.kv.max_total_bytes"), "{record}");
    let (_, again) = eval_under_manifest(
        &manifest,
        "60",
        "begin; KV::Store.set('one more', 'x' * 1_000_000); rescue Kobako::ServiceError => e; e.message; end",
    );
    let message = again["value"].as_str().unwrap_or_default();
    assert!(
        message.contains("services.kv.max_total_bytes"),
        "the next run is refused too: {again}"
    );
    // Live data is at most 64 MiB; redb's pages and its free list add some.
    let len = file_len(&store);
    assert!(len < 96 << 20, "the file is {len} bytes");
    let _ = std::fs::remove_file(&store);
}

#[test]
fn filling_the_store_with_100_kb_values_keeps_the_file_within_twice_the_cap() {
    // redb grows a file by doubling it and left this one at 168 MB for
    // 64 MiB of data; the run compacts it when it lets go of the store, to
    // under twice the data plus 8 MiB.
    let (manifest, store) = kv_manifest("fill-100k", "");
    let fill = FILL.replace("VALUE", "'x' * 100_000");
    let (code, record) = eval_under_manifest(&manifest, "120", &fill);
    assert_eq!(code, 0, "{record}");
    let message = record["value"][1].as_str().unwrap_or_default();
    assert!(message.contains("services.kv.max_total_bytes"), "{record}");
    let len = file_len(&store);
    assert!(len < 136 << 20, "the file is {len} bytes");
    let _ = std::fs::remove_file(&store);
}

#[test]
fn many_small_keys_stop_at_max_keys() {
    let (manifest, store) = kv_manifest("fill-keys", "max_keys = 50\n");
    let (code, record) = eval_under_manifest(&manifest, "60", &FILL.replace("VALUE", "i"));
    assert_eq!(code, 0, "{record}");
    assert_eq!(record["value"][0], 50, "{record}");
    let message = record["value"][1].as_str().unwrap_or_default();
    assert!(
        message.contains("50 keys") && message.contains("services.kv.max_keys"),
        "{record}"
    );
    let (_, replaced) = eval_under_manifest(&manifest, "60", "KV::Store.set('k0', :again)");
    assert_eq!(
        replaced["value"], "again",
        "an existing key can still be set: {replaced}"
    );
    let _ = std::fs::remove_file(&store);
}

#[test]
fn deleting_most_keys_gives_the_disk_space_back() {
    // 32 values of 1 MB, then all but the last 4 deleted: redb keeps the
    // freed pages inside the file (it stayed at 33.5 MB) until compacted.
    let (manifest, store) = kv_manifest("reclaim", "");
    let (code, record) = eval_under_manifest(
        &manifest,
        "60",
        "v = 'x' * 1_000_000; 32.times { |i| KV::Store.set(\"k#{i}\", v); GC.start }; KV::Store.keys.size",
    );
    assert_eq!(code, 0, "{record}");
    let full = file_len(&store);
    assert!(full > 32_000_000, "the file holds the values: {full}");
    let (code, record) = eval_under_manifest(
        &manifest,
        "60",
        "28.times { |i| KV::Store.delete(\"k#{i}\") }; KV::Store.keys.size",
    );
    assert_eq!(code, 0, "{record}");
    assert_eq!(record["value"], 4, "{record}");
    let emptied = file_len(&store);
    assert!(
        emptied < 12 << 20,
        "the file went from {full} to {emptied} bytes, holding 4 MB"
    );
    let _ = std::fs::remove_file(&store);
}

#[test]
fn set_delete_churn_keeps_the_file_small() {
    // Writing and deleting 1 MiB values 200 times moves 200 MiB through the
    // store; the file keeps about what is live.
    let (manifest, store) = kv_manifest("churn", "");
    let (code, record) = eval_under_manifest(
        &manifest,
        "120",
        "v = 'x' * 1_000_000; 200.times { |i| KV::Store.set(\"k#{i}\", v); KV::Store.delete(\"k#{i}\"); GC.start }; \
         KV::Store.keys",
    );
    assert_eq!(code, 0, "{record}");
    let len = file_len(&store);
    assert!(len < 8 << 20, "the file is {len} bytes");
    let _ = std::fs::remove_file(&store);
}

#[test]
fn kv_limits_in_the_manifest_must_be_positive_whole_numbers() {
    for key in ["max_value_bytes", "max_total_bytes", "max_keys", "max_key_bytes"] {
        let (manifest, _) = kv_manifest(&format!("bad-{key}"), &format!("{key} = 0\n"));
        let ran = eval_with_manifest(&manifest, &["-e", "1"]);
        assert_eq!(ran.code, 64, "{key}: {}", ran.stderr);
        assert!(
            ran.stderr.contains(&format!("`services.kv.{key}`")),
            "{key}: {}",
            ran.stderr
        );
    }
}

#[test]
fn a_write_blocked_behind_a_held_write_lock_ends_at_the_run_deadline() {
    // Another process (this test) holds the store's write lock for as long
    // as the run lasts. The write waits for it only until the run's 1 s
    // deadline; the 30 s bound only tells a slow machine from a hang.
    let (manifest, store) = kv_manifest("held-lock", "");
    let db = redb::Builder::new()
        .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
        .create(&store)
        .expect("the test opens the store");
    let held = db.begin_write().expect("the test takes the write lock");
    let ran = eval_with_one_second_deadline(&manifest, "KV::Store.set('a', 1)");
    drop(held);
    let ran = ran.expect("the blocked write outlived its run's deadline by 29 s");
    assert_eq!(ran.code, 3, "{} {}", ran.stdout, ran.stderr);
    assert_eq!(ran.json()["error"]["kind"], "timeout", "{}", ran.stdout);
    let _ = std::fs::remove_file(&store);
}

#[test]
fn a_store_another_program_holds_for_itself_is_reported_at_setup() {
    // redb's default mode locks the whole file, as kobako did before stores
    // were shared: the open fails at once, exit 70, saying why.
    let (manifest, store) = kv_manifest("exclusive", "");
    let db = redb::Database::create(&store).expect("the test opens the store");
    let ran = eval_with_manifest(&manifest, &["-e", "KV::Store.keys"]);
    drop(db);
    assert_eq!(ran.code, 70, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("another program has it open for itself"),
        "{}",
        ran.stderr
    );
    let _ = std::fs::remove_file(&store);
}

#[test]
fn runs_served_over_mcp_share_the_stores_caps() {
    // Under `kobako mcp` each run of a filling script used to add about
    // 2 GB to the store; the cap holds across the runs of one server.
    let extra = "max_total_bytes = 4000000\n[limits]\nmemory_limit = 67108864\ntimeout = 60\n";
    let (manifest, store) = kv_manifest("mcp-fill", extra);
    let mut session = common::mcp_session::McpSession::start(&manifest);
    let first = session.execute(&FILL.replace("VALUE", "'x' * 100_000"));
    let record = &first["structuredContent"];
    assert_eq!(record["value"][0], 39, "{first}");
    let second = session.execute(
        "begin; KV::Store.set('more', 'x' * 100_000); rescue Kobako::ServiceError => e; e.message; end",
    );
    let message = second["structuredContent"]["value"].as_str().unwrap_or_default();
    assert!(message.contains("services.kv.max_total_bytes"), "{second}");
    let len = file_len(&store);
    assert!(len < 16 << 20, "the file is {len} bytes for 4 MB of data");
    drop(session);
    let _ = std::fs::remove_file(&store);
}
