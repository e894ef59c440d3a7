//! What `kobako serve` and `kobako mcp` tell an operator: the Prometheus
//! metrics at `--metrics` (scraped, parsed, and checked to move by each
//! run) and the log line of each tool call, which never carries the script
//! or its output. No timing is asserted.

mod common;

use std::collections::BTreeMap;

use common::http_mcp::{GUARD, Served, arg, manifest_and_token, url_in};
use common::{kobako_with_stdin, temp_file};
use serde_json::{Value, json};

const TOKEN: &str = "observability token";

/// A string that appears in the scripts and their output, and must appear
/// in no log line and no metric.
const DISTINCTIVE: &str = "zebra-quartz-0451";

/// A server whose manifest binds a fresh KV store, started with `args`.
fn serve_with_kv(name: &str, args: &[&str]) -> Served {
    let store = temp_file(&format!("{name}.redb"), b"");
    std::fs::remove_file(&store).unwrap();
    let manifest = format!("[services.kv]\npath = {:?}\n", store.to_str().unwrap());
    let (manifest, token_file) = manifest_and_token(name, &manifest, TOKEN);
    let mut all = vec!["--manifest", arg(&manifest), "--token-file", arg(&token_file)];
    all.extend_from_slice(args);
    Served::start(&all, &[])
}

/// GETs `url` (or POSTs an empty body): the status and the body.
fn fetch(method: &str, url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(GUARD))
        .build()
        .into();
    let mut response = match method {
        "GET" => agent.get(url).call(),
        _ => agent.post(url).send(""),
    }
    .unwrap_or_else(|e| panic!("{method} {url} failed: {e}"));
    let body = response.body_mut().read_to_string().unwrap();
    (response.status().as_u16(), body)
}

/// Whether `name` is a valid Prometheus metric or label name.
fn is_name(name: &str, colon: bool) -> bool {
    let mut chars = name.chars();
    let first_ok = |c: char| c.is_ascii_alphabetic() || c == '_' || (colon && c == ':');
    chars.next().is_some_and(first_ok)
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (colon && c == ':'))
}

/// Parses the Prometheus text exposition format (0.0.4), panicking on any
/// line that breaks it: each sample by `name{labels}` to its value.
fn parse_exposition(text: &str) -> BTreeMap<String, f64> {
    let mut types = BTreeMap::new();
    let mut samples = BTreeMap::new();
    for line in text.lines().filter(|line| !line.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut words = comment.splitn(3, ' ');
            match (words.next(), words.next(), words.next()) {
                (Some("HELP"), Some(name), Some(_)) => assert!(is_name(name, true), "{line}"),
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(is_name(name, true), "{line}");
                    let known = ["counter", "gauge", "histogram", "summary", "untyped"];
                    assert!(known.contains(&kind), "{line}");
                    types.insert(name.to_owned(), kind.to_owned());
                }
                _ => panic!("a comment that is neither HELP nor TYPE: {line}"),
            }
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line}"));
        let name = series.split('{').next().unwrap();
        assert!(is_name(name, true), "bad metric name: {line}");
        if let Some(labels) = series.strip_prefix(name).filter(|rest| !rest.is_empty()) {
            let labels = labels
                .strip_prefix('{')
                .and_then(|l| l.strip_suffix('}'))
                .unwrap_or_else(|| panic!("bad labels: {line}"));
            for pair in labels.split(',') {
                let (label, quoted) = pair.split_once('=').unwrap_or_else(|| panic!("{line}"));
                assert!(is_name(label, false), "bad label name: {line}");
                assert!(
                    quoted.len() >= 2 && quoted.starts_with('"') && quoted.ends_with('"'),
                    "{line}"
                );
            }
        }
        let typed = ["_bucket", "_sum", "_count", ""]
            .iter()
            .any(|suffix| name.strip_suffix(suffix).is_some_and(|f| types.contains_key(f)));
        assert!(typed, "a sample before its TYPE: {line}");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            other => other.parse().unwrap_or_else(|_| panic!("bad value: {line}")),
        };
        samples.insert(series.to_owned(), value);
    }
    samples
}

/// The value of `series` in `samples`, 0 when it is not shown.
fn sample(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

#[test]
fn metrics_count_runs_by_outcome_durations_service_calls_and_kv_bytes() {
    let served = serve_with_kv("obs_metrics", &["--metrics", "127.0.0.1:0"]);
    let metrics_url = metrics_url(&served);
    assert!(metrics_url.ends_with("/metrics"), "{metrics_url}");

    let (status, before) = fetch("GET", &metrics_url);
    assert_eq!(status, 200, "{before}");
    let before = parse_exposition(&before);
    assert_eq!(sample(&before, "kobako_runs_in_flight"), 0.0);
    for outcome in ["ok", "sandbox", "timeout", "busy"] {
        let series = format!("kobako_runs_total{{outcome=\"{outcome}\"}}");
        assert_eq!(before.get(&series), Some(&0.0), "{series} is shown at 0");
    }
    assert_eq!(
        sample(&before, r#"kobako_service_calls_total{service="KV::Store"}"#),
        0.0
    );

    let mut client = served.client(Some(TOKEN));
    client.initialize();
    let stored = client.execute(&format!(
        "KV::Store.set('k', 'v'); KV::Store.get('k'); puts {DISTINCTIVE:?}"
    ));
    assert_eq!(stored["structuredContent"]["ok"], true, "{stored}");
    let raised = client.execute(&format!("raise {DISTINCTIVE:?}"));
    assert_eq!(
        raised["structuredContent"]["error"]["kind"], "sandbox",
        "{raised}"
    );
    let described = client.request("tools/call", json!({"name": "describe", "arguments": {}}));
    assert!(described["error"].is_null(), "{described}");

    let (status, text) = fetch("GET", &metrics_url);
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains(DISTINCTIVE), "{text}");
    let after = parse_exposition(&text);
    let moved = |series: &str| sample(&after, series) - sample(&before, series);
    assert_eq!(moved(r#"kobako_runs_total{outcome="ok"}"#), 1.0, "{text}");
    assert_eq!(moved(r#"kobako_runs_total{outcome="sandbox"}"#), 1.0, "{text}");
    assert_eq!(moved("kobako_run_duration_seconds_count"), 2.0, "{text}");
    assert_eq!(
        moved(r#"kobako_run_duration_seconds_bucket{le="+Inf"}"#),
        2.0,
        "{text}"
    );
    assert_eq!(
        moved(r#"kobako_service_calls_total{service="KV::Store"}"#),
        2.0,
        "{text}"
    );
    assert_eq!(sample(&after, "kobako_runs_in_flight"), 0.0, "{text}");
    // The key's one byte and the value's two (a short string on the wire).
    assert_eq!(sample(&after, "kobako_kv_bytes"), 3.0, "{text}");
}

/// The metrics URL a server started with `--metrics` logged.
fn metrics_url(served: &Served) -> String {
    let line = (served.startup.iter())
        .find(|line| line.contains("serving metrics on "))
        .unwrap_or_else(|| panic!("no metrics line in {:?}", served.startup));
    url_in(line)
}

/// The samples `url` serves now, parsed.
fn scrape(url: &str) -> BTreeMap<String, f64> {
    let (status, text) = fetch("GET", url);
    assert_eq!(status, 200, "{text}");
    parse_exposition(&text)
}

#[test]
fn a_run_holding_its_slot_is_in_flight_and_a_call_past_the_bound_counts_busy() {
    let (manifest, token_file) = manifest_and_token(
        "obs_in_flight",
        "[limits]\ntimeout = 10\n\n[mcp]\nmax_concurrent_runs = 1\n",
        TOKEN,
    );
    let served = Served::start(
        &[
            "--manifest",
            arg(&manifest),
            "--token-file",
            arg(&token_file),
            "--metrics",
            "127.0.0.1:0",
        ],
        &[],
    );
    let url = metrics_url(&served);
    let (run, busy) = served.hold_the_only_slot(TOKEN);
    assert_eq!(busy["structuredContent"]["error"]["kind"], "sandbox", "{busy}");
    let during = scrape(&url);
    assert_eq!(sample(&during, "kobako_runs_in_flight"), 1.0, "{during:?}");
    assert!(
        sample(&during, r#"kobako_runs_total{outcome="busy"}"#) >= 1.0,
        "{during:?}"
    );
    let answer = run.join().unwrap();
    assert_eq!(
        answer["structuredContent"]["error"]["kind"], "timeout",
        "{answer}"
    );
    let after = scrape(&url);
    assert_eq!(sample(&after, "kobako_runs_in_flight"), 0.0, "{after:?}");
    assert_eq!(
        sample(&after, r#"kobako_runs_total{outcome="timeout"}"#),
        1.0,
        "{after:?}"
    );
}

#[test]
fn the_metrics_endpoint_answers_only_get_metrics() {
    let served = serve_with_kv("obs_metrics_paths", &["--metrics", "127.0.0.1:0"]);
    let metrics_url = metrics_url(&served);
    let base = metrics_url.trim_end_matches("/metrics");
    assert_eq!(fetch("GET", &format!("{base}/")).0, 404);
    assert_eq!(fetch("GET", &format!("{base}/mcp")).0, 404);
    assert_eq!(fetch("POST", &metrics_url).0, 404);
    assert_eq!(fetch("GET", &metrics_url).0, 200);
}

/// The log line of the tool call that ran, from JSON log lines: each line
/// must be one JSON object.
fn finished_calls(lines: &[String]) -> Vec<Value> {
    let objects = lines.iter().map(|line| {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("a log line is not JSON ({e}): {line}"))
    });
    objects
        .filter(|object| object["message"] == "tool call finished")
        .collect()
}

#[test]
fn serve_logs_each_run_as_json_without_the_script_or_its_output() {
    let mut served = serve_with_kv("obs_serve_logs", &["--log-format", "json"]);
    let mut client = served.client(Some(TOKEN));
    client.initialize();
    let ran = client.execute(&format!("puts {DISTINCTIVE:?}; {DISTINCTIVE:?}.size"));
    assert_eq!(ran["structuredContent"]["ok"], true, "{ran}");
    served.terminate();
    let lines = served.stderr_to_the_end();
    assert_eq!(served.wait_for_exit(), 0);
    let all = lines.join("\n");
    assert!(!all.contains(DISTINCTIVE), "{all}");
    assert!(!all.contains(TOKEN), "{all}");
    let calls = finished_calls(&lines);
    assert_eq!(calls.len(), 1, "{all}");
    let call = &calls[0];
    assert_eq!(call["level"], "INFO", "{call}");
    assert_eq!(call["span"]["tool"], "execute", "{call}");
    assert_eq!(call["outcome"], "ok", "{call}");
    assert!(call["duration_ms"].as_f64().is_some(), "{call}");
    let record_bytes = ran["content"][0]["text"].as_str().unwrap().len() as u64;
    assert_eq!(call["bytes_out"], record_bytes, "{call}");
}

/// `kobako mcp ARGS...` given the handshake and one `execute` of `code`,
/// then the end of its input.
fn mcp_one_run(name: &str, code: &str, args: &[&str]) -> common::Ran {
    let manifest = temp_file(&format!("{name}.toml"), b"[limits]\ntimeout = 30\n");
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "kobako-tests", "version": "0"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": "execute", "arguments": {"code": code}}}),
    ];
    let input: String = messages.iter().map(|m| format!("{m}\n")).collect();
    let mut all = vec!["mcp", "--manifest", arg(&manifest)];
    all.extend_from_slice(args);
    kobako_with_stdin(&all, input.as_bytes())
}

#[test]
fn mcp_logs_json_on_stderr_and_keeps_stdout_for_json_rpc() {
    let code = format!("$stderr.puts {DISTINCTIVE:?}; raise {DISTINCTIVE:?}");
    let ran = mcp_one_run("obs_mcp_logs", &code, &["--log-format", "json"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let replies: Vec<Value> = (ran.stdout.lines())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(replies.len(), 2, "{}", ran.stdout);
    assert!(replies.iter().all(|reply| reply["jsonrpc"] == "2.0"));
    assert!(ran.stdout.contains(DISTINCTIVE), "the record carries the output");
    assert!(!ran.stderr.contains(DISTINCTIVE), "{}", ran.stderr);
    let lines: Vec<String> = ran.stderr.lines().map(str::to_owned).collect();
    let calls = finished_calls(&lines);
    assert_eq!(calls.len(), 1, "{}", ran.stderr);
    assert_eq!(calls[0]["outcome"], "sandbox", "{}", calls[0]);
}

#[test]
fn log_level_off_silences_the_run_lines() {
    let ran = mcp_one_run("obs_mcp_quiet", "1 + 1", &["--log-level", "off"]);
    assert_eq!((ran.code, ran.stderr.as_str()), (0, ""));
    assert_eq!(ran.stdout.lines().count(), 2, "{}", ran.stdout);
}
