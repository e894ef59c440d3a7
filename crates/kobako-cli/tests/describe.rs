//! `kobako describe`: the services a manifest binds, as signatures for a
//! prompt (text) and as JSON.

mod common;

use common::{kobako, temp_file};
use serde_json::json;

fn full_manifest(name: &str) -> std::path::PathBuf {
    temp_file("describe_doc.txt", b"doc");
    temp_file(
        name,
        b"[limits]\ntimeout = 5\n\n[services.kv]\npath = \"describe.redb\"\n\n\
          [services.http]\nallow = [\"api.example.com\", \"127.0.0.1:8080\"]\nmax_response_bytes = 5000\n\n\
          [services.data]\nfiles = { doc = \"describe_doc.txt\" }\n",
    )
}

#[test]
fn text_lists_each_method_signature_with_its_doc_and_the_limits() {
    let manifest = full_manifest("describe_text.toml");
    let ran = kobako(&["describe", "--manifest", manifest.to_str().unwrap()]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    for line in [
        "def KV::Store.get: (String key) -> untyped",
        "def KV::Store.set: (String key, untyped value) -> untyped",
        "def KV::Store.delete: (String key) -> untyped",
        "def KV::Store.keys: () -> Array[String]",
        "def HTTP::Client.get: (String url, ?headers: Hash[String, String]) -> { status: Integer, headers: Hash[String, String], body: String }",
        "def Data::Files.list: () -> Array[String]",
        "def Data::Files.read: (String name) -> String",
        "api.example.com, 127.0.0.1:8080",
        "Read-only documents: doc.",
        "Limits per run: time 5 s, memory growth 1048576 bytes",
        "Kobako::ServiceError",
    ] {
        assert!(ran.stdout.contains(line), "missing {line:?} in:\n{}", ran.stdout);
    }
}

#[test]
fn json_has_each_service_method_and_argument() {
    let manifest = full_manifest("describe_json.toml");
    let ran = kobako(&["describe", "--manifest", manifest.to_str().unwrap(), "--json"]);
    let described = ran.json();
    let services = described["services"].as_array().unwrap();
    let paths: Vec<&str> = services.iter().map(|s| s["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["KV::Store", "HTTP::Client", "Data::Files"]);
    let get = &services[1]["methods"][0];
    assert_eq!(get["name"], "get");
    assert_eq!(
        get["args"],
        json!([
            {"name": "url", "type": "String", "keyword": false},
            {"name": "headers", "type": "Hash[String, String]", "keyword": true}
        ])
    );
    assert!(get["doc"].as_str().unwrap().contains("redirects"));
    assert_eq!(described["limits"]["timeout"], json!(5.0));
    assert_eq!(described["limits"]["stdout_limit"], json!(1048576));
}

#[test]
fn describe_does_not_open_the_kv_store() {
    let manifest = full_manifest("describe_no_open.toml");
    kobako(&["describe", "--manifest", manifest.to_str().unwrap()]);
    assert!(!manifest.with_file_name("describe.redb").exists());
}

#[test]
fn without_services_it_says_the_script_can_only_compute() {
    let ran = kobako(&["describe", "--timeout", "none"]);
    assert!(ran.stdout.contains("No services are bound"), "{}", ran.stdout);
    assert!(ran.stdout.contains("time unlimited"), "{}", ran.stdout);
}

#[test]
fn describe_tells_agents_which_ruby_the_guest_speaks_from_the_guest_itself() {
    let hermetic = kobako(&["describe"]);
    assert_eq!(hermetic.code, 0, "{}", hermetic.stderr);
    for needle in [
        "Ruby: mruby 4.0.0 with CRuby 3.4 syntax",
        "`require` answers for json, set",
        "There is no File, Dir, Socket, Process",
        "Time.now reads the Unix epoch",
        "A result must be plain data",
    ] {
        assert!(hermetic.stdout.contains(needle), "{needle}: {}", hermetic.stdout);
    }
    let permissive = kobako(&["describe", "--profile", "permissive", "--json"]);
    let notes = permissive.json()["notes"].as_str().unwrap_or_default().to_owned();
    assert!(notes.contains("Time.now reads the real clock"), "{notes}");
}

#[test]
fn the_kv_and_data_caps_are_described_as_the_manifest_sets_them() {
    temp_file("describe_caps.txt", b"doc");
    let manifest = temp_file(
        "describe_caps.toml",
        b"[services.kv]\npath = \"describe_caps.redb\"\nmax_keys = 7\nmax_value_bytes = 300\n\n\
          [services.data]\nfiles = { doc = \"describe_caps.txt\" }\nmax_document_bytes = 4096\n",
    );
    let ran = kobako(&["describe", "--manifest", manifest.to_str().unwrap()]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    for text in [
        "It holds at most 7 keys and 67108864 bytes in all",
        "a key is at most 1024 bytes, a value at most 300 bytes encoded",
        "A document over 4096 bytes is refused.",
    ] {
        assert!(ran.stdout.contains(text), "missing {text:?} in:\n{}", ran.stdout);
    }
}
