//! The built-in persistent `KV::Store` service (`--kv PATH`, or a
//! manifest's `[services.kv]`). Each behaviour of the service is checked on
//! both backends: a redb file, and a Redis server of the test's own
//! (skipped with a note when `redis-server` is not installed, unless
//! `KOBAKO_REQUIRE_REDIS=1`). What is about the redb file on disk, or about
//! Redis alone, is checked on that backend only.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::http_mcp::Served;
use common::redis_server::{RedisServer, free_port};
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

/// A fresh store for one test: a redb file, or a Redis server of its own.
struct Store {
    name: String,
    /// The `[services.kv]` lines saying where the entries live.
    location: String,
    /// The store file, on the redb backend.
    file: Option<PathBuf>,
    /// The server, on the Redis backend, running as long as the store.
    _server: Option<RedisServer>,
}

impl Store {
    /// A redb file `name.redb`, not yet created.
    fn redb(name: &str) -> Store {
        Store {
            name: name.to_owned(),
            location: format!("path = \"{name}.redb\""),
            file: Some(temp_store(name)),
            _server: None,
        }
    }

    /// A Redis server of its own, the store under the prefix `name:`;
    /// `None` (the test is skipped) when Redis is not installed.
    fn redis(name: &str) -> Option<Store> {
        let server = RedisServer::start()?;
        Some(Store {
            name: format!("{name}-redis"),
            location: format!("url = \"{}\"\nprefix = \"{name}:\"", server.url()),
            file: None,
            _server: Some(server),
        })
    }

    /// A manifest binding this store, with `extra` lines after the
    /// `[services.kv]` keys that say where it is.
    fn manifest(&self, extra: &str) -> PathBuf {
        let text = format!("[services.kv]\n{}\n{extra}", self.location);
        temp_file(&format!("{}.toml", self.name), text.as_bytes())
    }

    /// The size of the store file, on the redb backend.
    fn file_len(&self) -> Option<u64> {
        self.file.as_deref().map(file_len)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            let _ = std::fs::remove_file(file);
        }
    }
}

/// Defines, for each `fn NAME(store: &Store) { ... }`, a module `NAME`
/// with two tests, `redb` and `redis`, that each run the body on a fresh
/// store of that backend.
macro_rules! on_both_backends {
    ($(fn $name:ident($store:ident: &Store) $body:block)*) => {$(
        mod $name {
            use super::*;

            fn check($store: &Store) $body

            #[test]
            fn redb() {
                check(&Store::redb(stringify!($name)));
            }

            #[test]
            fn redis() {
                if let Some(store) = Store::redis(stringify!($name)) {
                    check(&store);
                }
            }
        }
    )*};
}

/// Runs `kobako eval --json --manifest MANIFEST -e CODE`.
fn eval_in(manifest: &Path, code: &str) -> (i32, serde_json::Value) {
    let ran = eval_with_manifest(manifest, &["--json", "-e", code]);
    (ran.code, ran.json())
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

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The message of the first `Kobako::ServiceError` a loop of writes met,
/// and how many writes passed before it. `GC.start` keeps the guest's
/// garbage (an encoded copy of each value) from meeting its memory cap.
const FILL: &str = "i = 0; begin; loop { KV::Store.set(\"k#{i}\", VALUE); i += 1; GC.start }; \
                    rescue Kobako::ServiceError => e; [i, e.message]; end";

on_both_backends! {
    fn b12_kv_store_round_trips_between_runs(store: &Store) {
        let manifest = store.manifest("");
        let (code, record) = eval_in(&manifest, r#"KV::Store.set("a", [1, {b: 2}])"#);
        assert_eq!(code, 0, "{record}");
        let (code, record) = eval_in(
            &manifest,
            r#"v = KV::Store.get("a"); [v, v[1].keys.first.class.name, KV::Store.keys]"#,
        );
        assert_eq!(code, 0, "{record}");
        assert_eq!(
            record["value"],
            serde_json::json!([[1, {"b": 2}], "Symbol", ["a"]])
        );
        let (_, record) = eval_in(
            &manifest,
            r#"[KV::Store.delete("a"), KV::Store.get("a"), KV::Store.keys]"#,
        );
        assert_eq!(record["value"], serde_json::json!([[1, {"b": 2}], null, []]));
    }

    fn keys_come_back_sorted_and_symbols_name_strings(store: &Store) {
        let manifest = store.manifest("");
        let (code, record) = eval_in(
            &manifest,
            "%w[pear apple fig].each { |k| KV::Store.set(k, k.size) }; \
             KV::Store.set(:apple, :sym); [KV::Store.keys, KV::Store.get('apple'), KV::Store.delete(:fig)]",
        );
        assert_eq!(code, 0, "{record}");
        assert_eq!(
            record["value"],
            serde_json::json!([["apple", "fig", "pear"], "sym", 3])
        );
    }

    fn e26_kv_store_unknown_method_is_a_service_error(store: &Store) {
        let (code, record) = eval_in(&store.manifest(""), "KV::Store.drop_all");
        assert_eq!(code, 2);
        assert_eq!(record["error"]["kind"], "service");
        assert!(
            record["error"]["message"]
                .as_str()
                .unwrap()
                .contains("get, set, delete and keys")
        );
    }

    fn e25_kv_store_wrong_arguments_are_argument_faults(store: &Store) {
        let manifest = store.manifest("");
        let (code, record) = eval_in(
            &manifest,
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
        let (_, record) = eval_in(&manifest, "KV::Store.set(1, 2)");
        assert!(
            record["error"]["message"]
                .as_str()
                .unwrap()
                .contains("keys are Strings"),
            "{record}"
        );
    }

    fn a_value_over_max_value_bytes_is_a_rescuable_service_error(store: &Store) {
        let (code, record) = eval_under_manifest(
            &store.manifest(""),
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
    }

    fn a_key_over_max_key_bytes_is_refused(store: &Store) {
        let (code, record) = eval_under_manifest(
            &store.manifest("max_key_bytes = 8\n"),
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
    }

    fn filling_the_store_with_1_mib_values_stops_at_max_total_bytes(store: &Store) {
        // The hostile script that took one 10 s run to a 1.09 GB file: 1 MiB
        // values in a loop. The default cap (64 MiB) stops it, in this run and
        // the next (the totals are kept in the store).
        let manifest = store.manifest("");
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
        if let Some(len) = store.file_len() {
            assert!(len < 96 << 20, "the file is {len} bytes");
        }
    }

    fn many_small_keys_stop_at_max_keys(store: &Store) {
        let manifest = store.manifest("max_keys = 50\n");
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
    }

    fn deleting_frees_room_under_the_caps(store: &Store) {
        let manifest = store.manifest("max_keys = 2\nmax_total_bytes = 100\n");
        let (code, record) = eval_in(
            &manifest,
            "KV::Store.set('a', 'x' * 40); KV::Store.set('b', 'y' * 40); \
             full = begin; KV::Store.set('c', 1); rescue Kobako::ServiceError => e; e.message; end; \
             KV::Store.delete('a'); KV::Store.set('c', 'z' * 40); [full, KV::Store.keys]",
        );
        assert_eq!(code, 0, "{record}");
        assert!(
            record["value"][0].as_str().unwrap_or_default().contains("services.kv.max_keys"),
            "{record}"
        );
        assert_eq!(record["value"][1], serde_json::json!(["b", "c"]), "{record}");
    }

    fn kv_limits_in_the_manifest_must_be_positive_whole_numbers(store: &Store) {
        for key in ["max_value_bytes", "max_total_bytes", "max_keys", "max_key_bytes"] {
            let manifest = store.manifest(&format!("{key} = 0\n"));
            let ran = eval_with_manifest(&manifest, &["-e", "1"]);
            assert_eq!(ran.code, 64, "{key}: {}", ran.stderr);
            assert!(
                ran.stderr.contains(&format!("`services.kv.{key}`")),
                "{key}: {}",
                ran.stderr
            );
        }
    }

    fn runs_served_over_mcp_share_the_stores_caps(store: &Store) {
        // Under `kobako mcp` each run of a filling script used to add about
        // 2 GB to the store; the cap holds across the runs of one server.
        let extra = "max_total_bytes = 4000000\n[limits]\nmemory_limit = 67108864\ntimeout = 60\n";
        let mut session = common::mcp_session::McpSession::start(&store.manifest(extra));
        let first = session.execute(&FILL.replace("VALUE", "'x' * 100_000"));
        let record = &first["structuredContent"];
        assert_eq!(record["value"][0], 39, "{first}");
        let second = session.execute(
            "begin; KV::Store.set('more', 'x' * 100_000); rescue Kobako::ServiceError => e; e.message; end",
        );
        let message = second["structuredContent"]["value"].as_str().unwrap_or_default();
        assert!(message.contains("services.kv.max_total_bytes"), "{second}");
        drop(session);
        if let Some(len) = store.file_len() {
            assert!(len < 16 << 20, "the file is {len} bytes for 4 MB of data");
        }
    }
}

#[test]
fn the_kv_flag_binds_a_store_file() {
    let path = temp_store("kv-flag");
    let (code, record) = eval_with_kv(&path, "KV::Store.set('a', 1)");
    assert_eq!(code, 0, "{record}");
    let (_, record) = eval_with_kv(&path, "[KV::Store.get('a'), KV::Store.keys]");
    assert_eq!(record["value"], serde_json::json!([1, ["a"]]));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn kv_store_that_cannot_be_opened_exits_70() {
    let ran = kobako(&["eval", "--kv", "/nonexistent-dir/kv.redb", "-e", "1"]);
    assert_eq!(ran.code, 70);
    assert!(ran.stderr.contains("cannot open the KV store"));
}

#[test]
fn filling_the_store_with_100_kb_values_keeps_the_file_within_twice_the_cap() {
    // redb grows a file by doubling it and left this one at 168 MB for
    // 64 MiB of data; the run compacts it when it lets go of the store, to
    // under twice the data plus 8 MiB.
    let store = Store::redb("fill-100k");
    let fill = FILL.replace("VALUE", "'x' * 100_000");
    let (code, record) = eval_under_manifest(&store.manifest(""), "120", &fill);
    assert_eq!(code, 0, "{record}");
    let message = record["value"][1].as_str().unwrap_or_default();
    assert!(message.contains("services.kv.max_total_bytes"), "{record}");
    let len = store.file_len().unwrap_or(0);
    assert!(len < 136 << 20, "the file is {len} bytes");
}

#[test]
fn deleting_most_keys_gives_the_disk_space_back() {
    // 32 values of 1 MB, then all but the last 4 deleted: redb keeps the
    // freed pages inside the file (it stayed at 33.5 MB) until compacted.
    let store = Store::redb("reclaim");
    let manifest = store.manifest("");
    let (code, record) = eval_under_manifest(
        &manifest,
        "60",
        "v = 'x' * 1_000_000; 32.times { |i| KV::Store.set(\"k#{i}\", v); GC.start }; KV::Store.keys.size",
    );
    assert_eq!(code, 0, "{record}");
    let full = store.file_len().unwrap_or(0);
    assert!(full > 32_000_000, "the file holds the values: {full}");
    let (code, record) = eval_under_manifest(
        &manifest,
        "60",
        "28.times { |i| KV::Store.delete(\"k#{i}\") }; KV::Store.keys.size",
    );
    assert_eq!(code, 0, "{record}");
    assert_eq!(record["value"], 4, "{record}");
    let emptied = store.file_len().unwrap_or(0);
    assert!(
        emptied < 12 << 20,
        "the file went from {full} to {emptied} bytes, holding 4 MB"
    );
}

#[test]
fn set_delete_churn_keeps_the_file_small() {
    // Writing and deleting 1 MiB values 200 times moves 200 MiB through the
    // store; the file keeps about what is live.
    let store = Store::redb("churn");
    let (code, record) = eval_under_manifest(
        &store.manifest(""),
        "120",
        "v = 'x' * 1_000_000; 200.times { |i| KV::Store.set(\"k#{i}\", v); KV::Store.delete(\"k#{i}\"); GC.start }; \
         KV::Store.keys",
    );
    assert_eq!(code, 0, "{record}");
    let len = store.file_len().unwrap_or(0);
    assert!(len < 8 << 20, "the file is {len} bytes");
}

#[test]
fn a_write_blocked_behind_a_held_write_lock_ends_at_the_run_deadline() {
    // Another process (this test) holds the store's write lock for as long
    // as the run lasts. The write waits for it only until the run's 1 s
    // deadline; the 30 s bound only tells a slow machine from a hang.
    let store = Store::redb("held-lock");
    let manifest = store.manifest("");
    let path = store.file.as_deref().unwrap();
    let db = redb::Builder::new()
        .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
        .create(path)
        .expect("the test opens the store");
    let held = db.begin_write().expect("the test takes the write lock");
    let ran = eval_with_one_second_deadline(&manifest, "KV::Store.set('a', 1)");
    drop(held);
    let ran = ran.expect("the blocked write outlived its run's deadline by 29 s");
    assert_eq!(ran.code, 3, "{} {}", ran.stdout, ran.stderr);
    assert_eq!(ran.json()["error"]["kind"], "timeout", "{}", ran.stdout);
}

#[test]
fn a_store_another_program_holds_for_itself_is_reported_at_setup() {
    // redb's default mode locks the whole file, as kobako did before stores
    // were shared: the open fails at once, exit 70, saying why.
    let store = Store::redb("exclusive");
    let manifest = store.manifest("");
    let db = redb::Database::create(store.file.as_deref().unwrap()).expect("the test opens the store");
    let ran = eval_with_manifest(&manifest, &["-e", "KV::Store.keys"]);
    drop(db);
    assert_eq!(ran.code, 70, "{}", ran.stderr);
    assert!(
        ran.stderr.contains("another program has it open for itself"),
        "{}",
        ran.stderr
    );
}

/// A manifest `name.toml` with a store on `server` under `prefix`, and
/// `extra` lines after it.
fn redis_manifest(name: &str, server: &RedisServer, prefix: &str, extra: &str) -> PathBuf {
    let text = format!(
        "[services.kv]\nurl = \"{}\"\nprefix = \"{prefix}\"\n{extra}",
        server.url()
    );
    temp_file(&format!("{name}.toml"), text.as_bytes())
}

/// The store's entry count, its kept byte total, and the bytes its keys
/// and values actually take, read straight from Redis.
fn redis_totals(server: &RedisServer, prefix: &str) -> (u64, u64, u64) {
    let mut con = server.connection().expect("the test reaches its server");
    let entries = format!("{prefix}kobako:kv");
    let all: Vec<(Vec<u8>, Vec<u8>)> = redis::cmd("HGETALL").arg(&entries).query(&mut con).unwrap();
    let counted = all.iter().map(|(k, v)| (k.len() + v.len()) as u64).sum();
    let kept: Option<u64> = redis::cmd("GET")
        .arg(format!("{entries}:bytes"))
        .query(&mut con)
        .unwrap();
    (all.len() as u64, kept.unwrap_or(0), counted)
}

/// Waits until the hash `entries` on `server` has `key` (a run has begun
/// writing); the 60 s bound only guards against a hang.
fn wait_for_entry(server: &RedisServer, entries: &str, key: &str) {
    let mut con = server.connection().expect("the test reaches its server");
    let guard = Instant::now() + Duration::from_secs(60);
    loop {
        let there: bool = redis::cmd("HEXISTS")
            .arg(entries)
            .arg(key)
            .query(&mut con)
            .unwrap();
        if there {
            return;
        }
        assert!(Instant::now() < guard, "the run never wrote");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn two_writers_in_two_processes_stop_together_at_the_caps_and_keep_the_totals_exact() {
    // Two runs fill one store at once, each with keys of its own. Every
    // write checks the caps against totals another process may be changing;
    // together the two stop at max_keys exactly, and the byte total kept in
    // Redis is what the entries take.
    let Some(server) = RedisServer::start() else {
        return;
    };
    let manifest = redis_manifest(
        "two-writers",
        &server,
        "race:",
        "max_keys = 400\n[limits]\ntimeout = 120\n",
    );
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|tag| {
            let manifest = manifest.clone();
            let fill = FILL
                .replace("\"k#{i}\"", &format!("\"{tag}#{{i}}\""))
                .replace("VALUE", "'v' * i");
            std::thread::spawn(move || eval_in(&manifest, &fill))
        })
        .collect();
    let mut written = 0;
    for writer in writers {
        let (code, record) = writer.join().expect("the writer's thread ends");
        assert_eq!(code, 0, "{record}");
        let message = record["value"][1].as_str().unwrap_or_default();
        assert!(message.contains("services.kv.max_keys"), "{record}");
        written += record["value"][0].as_u64().unwrap_or(0);
    }
    assert_eq!(
        written, 400,
        "the two writers' keys together fill the cap exactly"
    );
    let (keys, kept, counted) = redis_totals(&server, "race:");
    assert_eq!(keys, 400);
    assert_eq!(kept, counted, "the kept byte total is what the entries take");
}

#[test]
fn a_byte_total_removed_by_hand_is_counted_again_at_the_next_write() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let manifest = redis_manifest("recount", &server, "recount:", "max_total_bytes = 100\n");
    let (code, record) = eval_in(
        &manifest,
        "KV::Store.set('a', 'x' * 40); KV::Store.set('b', 'y' * 40)",
    );
    assert_eq!(code, 0, "{record}");
    let mut con = server.connection().expect("the test reaches its server");
    let _: () = redis::cmd("DEL")
        .arg("recount:kobako:kv:bytes")
        .query(&mut con)
        .unwrap();
    let (code, record) = eval_in(
        &manifest,
        "begin; KV::Store.set('c', 'z' * 40); rescue Kobako::ServiceError => e; e.message; end",
    );
    assert_eq!(code, 0, "{record}");
    let message = record["value"].as_str().unwrap_or_default();
    assert!(message.contains("services.kv.max_total_bytes"), "{record}");
    let (code, record) = eval_in(&manifest, "KV::Store.delete('a'); KV::Store.set('c', 1)");
    assert_eq!(code, 0, "{record}");
    let (keys, kept, counted) = redis_totals(&server, "recount:");
    assert_eq!((keys, kept), (2, counted));
}

#[test]
fn stores_under_different_prefixes_on_one_server_are_separate() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let a = redis_manifest("prefix-a", &server, "tenant-a:", "");
    let b = redis_manifest("prefix-b", &server, "tenant-b:", "");
    let (code, record) = eval_in(&a, "KV::Store.set('shared', 'a')");
    assert_eq!(code, 0, "{record}");
    let (_, record) = eval_in(&b, "[KV::Store.get('shared'), KV::Store.keys]");
    assert_eq!(record["value"], serde_json::json!([null, []]), "{record}");
    let (_, record) = eval_in(&a, "KV::Store.keys");
    assert_eq!(record["value"], serde_json::json!(["shared"]), "{record}");
}

#[test]
fn a_redis_server_killed_mid_run_is_a_rescuable_service_error_within_the_deadline() {
    // The run reads in a loop until a call fails; the test kills the server
    // once the run has written. The run's deadline is 30 s: the failure must
    // come as a ServiceError the script rescues, not a hang to the deadline
    // (the 60 s bound only tells a slow machine from a hang).
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let manifest = redis_manifest("killed", &server, "killed:", "[limits]\ntimeout = 30\n");
    let script = "KV::Store.set('started', 1); \
                  begin; loop { KV::Store.get('started') }; rescue Kobako::ServiceError => e; e.message; end";
    let run = spawn_eval(&manifest, script);
    wait_for_entry(&server, "killed:kobako:kv", "started");
    server.kill();
    let ran = wait_within(run, Duration::from_secs(60)).expect("the run hung after the server went away");
    assert_eq!(ran.code, 0, "{} {}", ran.stdout, ran.stderr);
    let record = ran.json();
    let message = record["value"].as_str().unwrap_or_default();
    assert!(
        message.contains("KV::Store: lost the connection to the store's server"),
        "{record}"
    );
}

/// Starts `kobako eval --json` of `script` under `manifest`, without
/// waiting for it.
fn spawn_eval(manifest: &Path, script: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kobako"))
        .args([
            "eval",
            "--json",
            "--manifest",
            manifest.to_str().unwrap(),
            "-e",
            script,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kobako starts")
}

#[test]
fn a_redis_server_that_stops_answering_holds_a_call_only_until_the_run_deadline() {
    // The server is stopped (SIGSTOP) once the run has written: its port
    // still takes connections, but no command is answered. The call gives up
    // at the run's 5 s deadline and the run ends as timed out; the 60 s
    // bound only tells a slow machine from a hang.
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let manifest = redis_manifest("paused", &server, "paused:", "[limits]\ntimeout = 5\n");
    let script = "KV::Store.set('started', 1); loop { KV::Store.get('started') }";
    let run = spawn_eval(&manifest, script);
    wait_for_entry(&server, "paused:kobako:kv", "started");
    server.pause();
    let ran = wait_within(run, Duration::from_secs(60)).expect("the run hung past its deadline");
    assert_eq!(ran.code, 3, "{} {}", ran.stdout, ran.stderr);
    assert_eq!(ran.json()["error"]["kind"], "timeout", "{}", ran.stdout);
}

#[test]
fn a_server_restarted_under_kobako_mcp_is_reconnected_to_at_the_next_call() {
    // The server's connections are kept between runs; after a restart they
    // are closed, and the next call opens a new one instead of failing.
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    let manifest = redis_manifest("restarted", &server, "restarted:", "[limits]\ntimeout = 30\n");
    let mut session = common::mcp_session::McpSession::start(&manifest);
    let before = session.execute("KV::Store.set('a', 1); KV::Store.keys");
    assert_eq!(
        before["structuredContent"]["value"],
        serde_json::json!(["a"]),
        "{before}"
    );
    server.restart();
    let after = session.execute("KV::Store.set('b', 2); [KV::Store.get('b'), KV::Store.keys]");
    assert_eq!(
        after["structuredContent"]["value"],
        serde_json::json!([2, ["b"]]),
        "the restarted server is empty, and reached: {after}"
    );
}

#[test]
fn an_unreachable_redis_server_is_reported_at_setup_without_its_password() {
    // No server listens on the port: binding the store fails before any
    // run, exit 70 as for a store file that cannot be opened, and the
    // message names the URL without the password it holds.
    let port = free_port();
    let text = format!("[services.kv]\nurl = \"redis://:s3cret@127.0.0.1:{port}/0\"\n");
    let manifest = temp_file("unreachable.toml", text.as_bytes());
    let ran = eval_with_manifest(&manifest, &["-e", "1"]);
    assert_eq!(ran.code, 70, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains(&format!("cannot use the KV store at redis://127.0.0.1:{port}/0")),
        "{}",
        ran.stderr
    );
    assert!(!ran.stderr.contains("s3cret"), "{}", ran.stderr);
}

/// The rules docs/security.md gives a tenant's Redis user: its own keys,
/// and only the commands the store sends.
const TENANT_A_ACL: &str = "on >s3cret-a ~tenant-a:* resetchannels -@all \
                            +hget +hset +hdel +hexists +hstrlen +hlen +hkeys \
                            +get +set +watch +unwatch +multi +exec +type";

#[test]
fn a_redis_user_limited_to_its_prefix_uses_that_store_and_no_other() {
    // Under the tenant's ACL the store works on its prefix; another prefix
    // is refused at setup, exit 70, without the password.
    let Some(server) = RedisServer::start() else {
        return;
    };
    let mut con = server.connection().expect("the test reaches its server");
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg("tenant-a")
        .arg(TENANT_A_ACL.split_whitespace().collect::<Vec<_>>())
        .query(&mut con)
        .expect("the test creates the user");
    let url = format!("redis://tenant-a:s3cret-a@127.0.0.1:{}/0", server.port);
    let manifest = |name: &str, prefix: &str| {
        let text = format!("[services.kv]\nurl = \"{url}\"\nprefix = \"{prefix}\"\n");
        temp_file(&format!("{name}.toml"), text.as_bytes())
    };
    let own = manifest("acl-own", "tenant-a:");
    let (code, record) = eval_in(
        &own,
        "KV::Store.set('a', 1); KV::Store.set('b', 2); KV::Store.delete('a'); [KV::Store.get('b'), KV::Store.keys]",
    );
    assert_eq!(code, 0, "{record}");
    assert_eq!(record["value"], serde_json::json!([2, ["b"]]), "{record}");
    let ran = eval_with_manifest(&manifest("acl-other", "tenant-b:"), &["-e", "1"]);
    assert_eq!(ran.code, 70, "{}", ran.stderr);
    assert!(ran.stderr.contains("the user's ACL"), "{}", ran.stderr);
    assert!(!ran.stderr.contains("s3cret"), "{}", ran.stderr);
}

#[test]
fn two_kobako_serve_processes_on_one_redis_share_the_store() {
    // Two servers, as two replicas behind a load balancer would be: what a
    // run on one sets, a run on the other reads, and a delete is seen too.
    let Some(server) = RedisServer::start() else {
        return;
    };
    let manifest = redis_manifest("two-serves", &server, "replicas:", "[limits]\ntimeout = 30\n");
    let args = ["--no-auth", "--manifest", manifest.to_str().unwrap()];
    let (one, two) = (Served::start(&args, &[]), Served::start(&args, &[]));
    let (mut on_one, mut on_two) = (one.client(None), two.client(None));
    on_one.initialize();
    on_two.initialize();
    let set = on_one.execute("KV::Store.set('greeting', {from: 'one'})");
    assert_eq!(set["isError"], false, "{set}");
    let read = on_two.execute("[KV::Store.get('greeting'), KV::Store.keys]");
    assert_eq!(
        read["structuredContent"]["value"],
        serde_json::json!([{"from": "one"}, ["greeting"]]),
        "{read}"
    );
    let deleted = on_two.execute("KV::Store.delete('greeting')");
    assert_eq!(
        deleted["structuredContent"]["value"],
        serde_json::json!({"from": "one"})
    );
    let gone = on_one.execute("KV::Store.keys");
    assert_eq!(
        gone["structuredContent"]["value"],
        serde_json::json!([]),
        "{gone}"
    );
}
