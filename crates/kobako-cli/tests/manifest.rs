//! `--manifest`: the caps and services a kobako.toml declares, used by
//! `kobako eval`, and the errors for bad manifests, which name the key.

mod common;

use common::{eval_with_manifest, eval_with_one_second_deadline, kobako, temp_file};
use serde_json::json;

fn eval(manifest: &std::path::Path, code: &str) -> common::Ran {
    eval_with_manifest(manifest, &["--json", "-e", code])
}

/// Runs `kobako eval` with a manifest holding `text` and returns stderr,
/// asserting the usage exit code.
fn manifest_error(name: &str, text: &str) -> String {
    let manifest = temp_file(name, text.as_bytes());
    let ran = eval(&manifest, "1");
    assert_eq!(ran.code, 64, "{name}: {}", ran.stderr);
    assert!(ran.stdout.is_empty());
    ran.stderr
}

#[test]
fn bad_manifests_are_usage_errors_that_name_the_key() {
    let cases = [
        ("unknown_top.toml", "colour = 1\n", "unknown field `colour`"),
        (
            "unknown_limit.toml",
            "[limits]\ntimeout = 1\nfuel = 2\n",
            "unknown field `fuel`",
        ),
        (
            "unknown_service.toml",
            "[services.smtp]\nhost = 'x'\n",
            "unknown field `smtp`",
        ),
        (
            "unknown_http.toml",
            "[services.http]\nallow = ['a.com']\nallowed = []\n",
            "unknown field `allowed`",
        ),
        (
            "unknown_kv.toml",
            "[services.kv]\npath = 'a'\nsize = 1\n",
            "unknown field `size`",
        ),
        (
            "missing_kv_path.toml",
            "[services.kv]\n",
            "`services.kv` needs `path` (a store file, e.g. \"state.redb\") or `url`",
        ),
        (
            "kv_path_and_url.toml",
            "[services.kv]\npath = 'a.redb'\nurl = 'redis://127.0.0.1:6379/0'\n",
            "`services.kv.path` and `services.kv.url` are both set",
        ),
        (
            "kv_prefix_without_url.toml",
            "[services.kv]\npath = 'a.redb'\nprefix = 'tenant-a:'\n",
            "`services.kv.prefix` is set without `services.kv.url`",
        ),
        (
            "kv_url_tls.toml",
            "[services.kv]\nurl = 'rediss://127.0.0.1:6380/0'\n",
            "`services.kv.url` \"rediss://127.0.0.1:6380/0\" asks for TLS",
        ),
        (
            "kv_url_scheme.toml",
            "[services.kv]\nurl = 'http://127.0.0.1:6379/'\n",
            "`services.kv.url` must be a Redis URL such as \"redis://127.0.0.1:6379/0\", not \"http://127.0.0.1:6379/\"",
        ),
        ("bad_timeout_type.toml", "[limits]\ntimeout = 'soon'\n", "timeout"),
        (
            "zero_timeout.toml",
            "[limits]\ntimeout = 0\n",
            "`limits.timeout` must be a finite number of seconds, at least 0.001",
        ),
        (
            "negative_memory.toml",
            "[limits]\nmemory_limit = -5\n",
            "memory_limit",
        ),
        (
            "zero_stdout.toml",
            "[limits]\nstdout_limit = 0\n",
            "`limits.stdout_limit` must be a number of bytes",
        ),
        (
            "empty_allow.toml",
            "[services.http]\nallow = []\n",
            "`services.http.allow` is empty",
        ),
        (
            "scheme_allow.toml",
            "[services.http]\nallow = ['https://a.com']\n",
            "\"https://a.com\" has a scheme",
        ),
        (
            "path_allow.toml",
            "[services.http]\nallow = ['a.com/x']\n",
            "\"a.com/x\" is not a host",
        ),
        (
            "wildcard_allow.toml",
            "[services.http]\nallow = ['*.a.com']\n",
            "\"*.a.com\" is not a host",
        ),
        (
            "port_allow.toml",
            "[services.http]\nallow = ['a.com:http']\n",
            "has the port `http`",
        ),
        (
            "v6_allow.toml",
            "[services.http]\nallow = ['::1:80']\n",
            "write it in brackets",
        ),
        (
            "http_timeout.toml",
            "[services.http]\nallow = ['a.com']\ntimeout = -1\n",
            "`services.http.timeout`",
        ),
        (
            "http_cap.toml",
            "[services.http]\nallow = ['a.com']\nmax_response_bytes = 0\n",
            "`services.http.max_response_bytes`",
        ),
        (
            "missing_data.toml",
            "[services.data]\nfiles = { report = 'no-such-file.json' }\n",
            "`services.data.files.report` names",
        ),
        ("not_toml.toml", "[limits\n", "TOML parse error"),
    ];
    for (name, text, expected) in cases {
        let stderr = manifest_error(name, text);
        assert!(
            stderr.contains(expected),
            "{name}: expected {expected:?} in {stderr}"
        );
        assert!(stderr.contains(name), "{name}: the file is named in {stderr}");
    }
}

#[test]
fn a_bad_kv_url_is_refused_without_repeating_its_password() {
    for (name, url) in [
        ("kv_url_port.toml", "redis://:s3cret@127.0.0.1:port/0"),
        ("kv_url_slashes.toml", "redis:user:s3cret@127.0.0.1"),
        ("kv_url_scheme_password.toml", "http://user:s3cret@127.0.0.1/"),
    ] {
        let stderr = manifest_error(name, &format!("[services.kv]\nurl = '{url}'\n"));
        assert!(stderr.contains("`services.kv.url`"), "{name}: {stderr}");
        assert!(!stderr.contains("s3cret"), "{name}: {stderr}");
    }
}

#[test]
fn a_malformed_manifest_never_shows_a_url_password() {
    // Each piece of the password; none may appear anywhere in the error.
    let secret = ["Zq9", "sEkr", "et7w"];
    let cases = [
        (
            "kv_url_unterminated.toml",
            "[services.kv]\nurl = \"redis://user:Zq9sEkret7w@host/0\n",
            "TOML parse error at line 2",
        ),
        (
            "kv_url_unquoted.toml",
            "[services.kv]\nurl = redis://user:Zq9sEkret7w@host/0\n",
            "TOML parse error at line 2, column 7",
        ),
        (
            "kv_url_trailing.toml",
            "[services.kv]\nurl = 'redis://user:Zq9sEkret7w@host/0' x\n",
            "TOML parse error at line 2",
        ),
        (
            "kv_url_on_header.toml",
            "[services.kv] url = 'redis://:Zq9sEkret7w@host/0'\n",
            "TOML parse error at line 1",
        ),
        (
            "kv_url_duplicate.toml",
            "[services.kv]\nurl = 'redis://:Zq9sEkret7w@h/0'\nurl = 'redis://:Zq9sEkret7w@h/0'\n",
            "TOML parse error at line 3",
        ),
        (
            "kv_url_split.toml",
            "[services.kv]\nurl = \"\"\"redis://user:Zq9sEkr\\\net7w@host/0\"\"\" x\n",
            "TOML parse error at line 3",
        ),
        (
            "kv_url_as_table.toml",
            "[services]\nkv = 'redis://u:Zq9 \"sEkr@et7w/x@host/0'\n",
            "invalid type: string",
        ),
        (
            "kv_url_no_slashes.toml",
            "[services]\nkv = 'redis:u:Zq9sEkret7w@host'\n",
            "expected struct",
        ),
        (
            "kv_url_as_key.toml",
            "[services.kv]\n'redis://u:Zq9sEkret7w@h' = 1\n",
            "unknown field `redis://***@h`",
        ),
        (
            "http_allow_url.toml",
            "[services.http]\nallow = ['http://u:Zq9sEkret7w@a.com']\n",
            "entry \"http://***@a.com\" has a scheme",
        ),
    ];
    for (name, text, expected) in cases {
        let stderr = manifest_error(name, text);
        for piece in secret {
            assert!(!stderr.contains(piece), "{name}: {piece} shown in {stderr}");
        }
        assert!(stderr.contains(name), "{name}: the file is named in {stderr}");
        assert!(
            stderr.contains(expected),
            "{name}: expected {expected:?} in {stderr}"
        );
    }
}

#[test]
fn missing_manifest_file_is_a_usage_error() {
    let ran = kobako(&["eval", "--manifest", "/no/such/kobako.toml", "-e", "1"]);
    assert_eq!(ran.code, 64);
    assert!(
        ran.stderr
            .contains("cannot read the manifest /no/such/kobako.toml"),
        "{}",
        ran.stderr
    );
}

#[test]
fn kv_flag_and_manifest_cannot_be_combined() {
    let manifest = temp_file("kv_conflict.toml", b"");
    let ran = eval_with_manifest(&manifest, &["--kv", "x.redb", "-e", "1"]);
    assert_eq!(ran.code, 64, "{}", ran.stderr);
}

#[test]
fn manifest_limits_apply_and_flags_win_over_them() {
    let manifest = temp_file("limits.toml", b"[limits]\ntimeout = 0.5\nstdout_limit = 3\n");
    let timed_out = eval(&manifest, "loop {}").json();
    assert_eq!(timed_out["error"]["kind"], "timeout");
    let truncated = eval(&manifest, "print 'abcdef'").json();
    assert_eq!(truncated["stdout"], json!("abc"));
    let ran = eval_with_manifest(
        &manifest,
        &["--stdout-limit", "none", "--json", "-e", "print 'abcdef'"],
    );
    assert_eq!(ran.json()["stdout"], json!("abcdef"));
}

#[test]
fn kv_service_from_the_manifest_persists_across_runs() {
    let store = temp_file("manifest_kv.redb", b"");
    std::fs::remove_file(&store).unwrap();
    let manifest = temp_file("kv.toml", b"[services.kv]\npath = \"manifest_kv.redb\"\n");
    let set = eval(&manifest, "KV::Store.set('n', [1, {a: 2}]); KV::Store.keys").json();
    assert_eq!(set["value"], json!(["n"]), "{set}");
    assert!(
        store.exists(),
        "a relative path is read from the manifest's folder"
    );
    let get = eval(&manifest, "KV::Store.get('n')").json();
    assert_eq!(get["value"], json!([1, {"a": 2}]));
}

#[test]
fn data_service_refuses_a_document_larger_than_a_result_can_carry() {
    // A sparse file: 2 GiB long, no disk used; read whole it took the host
    // to 4 GB. The size is checked before reading.
    let big = temp_file("big.bin", b"");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let manifest = temp_file("big.toml", b"[services.data]\nfiles = { big = \"big.bin\" }\n");
    let record = eval(
        &manifest,
        "begin; Data::Files.read('big'); rescue Kobako::ServiceError => e; e.message; end",
    )
    .json();
    let message = record["value"].as_str().unwrap_or_default().to_owned();
    assert!(
        message.contains("2147483648 bytes, more than the 16 MiB"),
        "{record}"
    );
}

#[test]
fn data_service_lists_and_reads_named_documents_only() {
    temp_file("users.json", br#"[{"name":"ada"},{"name":"bob"}]"#);
    temp_file("notes.txt", b"plain text\n");
    let manifest = temp_file(
        "data.toml",
        b"[services.data]\nfiles = { users = \"users.json\", notes = \"notes.txt\" }\n",
    );
    let record = eval(
        &manifest,
        "[Data::Files.list, JSON.parse(Data::Files.read('users')).map { |u| u['name'] }, \
         Data::Files.read(:notes), \
         begin; Data::Files.read('/etc/passwd'); rescue => e; e.class.name; end]",
    )
    .json();
    assert_eq!(
        record["value"],
        json!([
            ["notes", "users"],
            ["ada", "bob"],
            "plain text\n",
            "Kobako::ServiceError"
        ]),
        "{record}"
    );
}

#[test]
fn empty_manifest_binds_no_services() {
    let manifest = temp_file("empty.toml", b"");
    let record = eval(
        &manifest,
        "[Object.const_defined?(:KV), Object.const_defined?(:HTTP), Data.const_defined?(:Files), 1 + 1]",
    )
    .json();
    assert_eq!(record["value"], json!([false, false, false, 2]), "{record}");
}

#[test]
fn data_max_document_bytes_refuses_a_larger_document() {
    temp_file("eleven.txt", b"eleven byte");
    let manifest = temp_file(
        "doc_cap.toml",
        b"[services.data]\nfiles = { doc = \"eleven.txt\" }\nmax_document_bytes = 10\n",
    );
    let record = eval(
        &manifest,
        "begin; Data::Files.read('doc'); rescue Kobako::ServiceError => e; e.message; end",
    )
    .json();
    let message = record["value"].as_str().unwrap_or_default();
    assert!(
        message.contains("11 bytes") && message.contains("services.data.max_document_bytes"),
        "{record}"
    );
}

#[test]
fn data_max_document_bytes_must_be_positive_and_at_most_16_mib() {
    temp_file("tiny.txt", b"x");
    for value in ["0", "16777217", "-1"] {
        let stderr = manifest_error(
            &format!("doc_cap_{value}.toml"),
            &format!("[services.data]\nfiles = {{ t = \"tiny.txt\" }}\nmax_document_bytes = {value}\n"),
        );
        let named = match value {
            "-1" => "max_document_bytes", // refused by the TOML reader as not a u64
            _ => "`services.data.max_document_bytes`",
        };
        assert!(stderr.contains(named), "{value}: {stderr}");
    }
    let ok = temp_file(
        "doc_cap_max.toml",
        b"[services.data]\nfiles = { t = \"tiny.txt\" }\nmax_document_bytes = 16777216\n",
    );
    assert_eq!(eval(&ok, "Data::Files.read('t')").json()["value"], json!("x"));
}

#[test]
fn a_data_read_that_blocks_ends_at_the_run_deadline() {
    // A named pipe nobody writes: opening it blocks for ever. The read is
    // given up at the run's 1 s deadline; 30 s only tells a slow machine
    // from a hang.
    let fifo = temp_file("never.fifo", b"");
    std::fs::remove_file(&fifo).unwrap();
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let manifest = temp_file(
        "fifo.toml",
        b"[services.data]\nfiles = { never = \"never.fifo\" }\n",
    );
    let ran = eval_with_one_second_deadline(&manifest, "Data::Files.read('never')");
    let _ = std::fs::remove_file(&fifo);
    let ran = ran.expect("the blocked read outlived its run's deadline by 29 s");
    assert_eq!(ran.json()["error"]["kind"], "timeout", "{}", ran.stdout);
}
