//! `HTTP::Client` through the real binary: a script in the sandbox calls the
//! host, which talks to a local test server only when the manifest allows.

mod common;

use common::{eval_with_manifest, http_server, temp_file};
use serde_json::json;

/// Runs `code` with a manifest whose `[services.http]` body is `http`, and
/// returns the `--json` record.
fn eval_with_http(name: &str, http: &str, code: &str) -> serde_json::Value {
    let manifest = temp_file(name, format!("[services.http]\n{http}\n").as_bytes());
    eval_with_manifest(&manifest, &["--json", "-e", code]).json()
}

/// A script that rescues the ServiceError and returns its message.
fn rescued(url: &str) -> String {
    format!(
        "begin\n  HTTP::Client.get({url:?})\n  'no error'\nrescue Kobako::ServiceError => e\n  e.message\nend"
    )
}

#[test]
fn allowed_get_returns_status_headers_and_body_and_sends_headers() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_ok.toml",
        &format!("allow = [\"127.0.0.1:{port}\"]"),
        &format!(
            "r = HTTP::Client.get('http://127.0.0.1:{port}/hello', headers: {{'x-token' => 's3'}})\n\
             [r[:status], r[:headers]['x-test'], r[:headers]['x-token-seen'], r[:body]]"
        ),
    );
    assert_eq!(record["error"], json!(null), "{record}");
    assert_eq!(
        record["value"],
        json!([200, "yes", "s3", "hello from the test server"])
    );
}

#[test]
fn json_body_parses_in_the_guest_and_status_404_is_a_value() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_json.toml",
        "allow = [\"127.0.0.1\"]",
        &format!(
            "j = JSON.parse(HTTP::Client.get('http://127.0.0.1:{port}/json')[:body])\n\
             [j['items'].sum, HTTP::Client.get('http://127.0.0.1:{port}/nope')[:status]]"
        ),
    );
    assert_eq!(record["value"], json!([6, 404]), "{record}");
}

#[test]
fn host_not_on_the_allowlist_is_refused_with_a_rescuable_service_error() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_other_host.toml",
        &format!("allow = [\"127.0.0.1:{port}\"]"),
        &rescued("http://example.com/"),
    );
    let message = record["value"].as_str().unwrap();
    assert!(message.contains("not on the allowlist"), "{message}");
}

#[test]
fn unrescued_refusal_fails_the_run_as_a_service_error() {
    let record = eval_with_http(
        "http_unrescued.toml",
        "allow = [\"api.example.com\"]",
        "HTTP::Client.get('http://example.org/')",
    );
    assert_eq!(record["error"]["kind"], "service");
    assert_eq!(record["error"]["class"], "Kobako::ServiceError");
}

#[test]
fn other_port_on_an_allowed_host_is_refused() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_port.toml",
        &format!("allow = [\"127.0.0.1:{port}\"]"),
        &rescued(&format!("http://127.0.0.1:{}/hello", port.wrapping_add(1))),
    );
    assert!(
        record["value"].as_str().unwrap().contains("not on the allowlist"),
        "{record}"
    );
}

#[test]
fn non_http_schemes_are_refused() {
    for url in ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/"] {
        let record = eval_with_http("http_scheme.toml", "allow = [\"127.0.0.1\"]", &rescued(url));
        let message = record["value"].as_str().unwrap();
        assert!(message.contains("scheme"), "{url}: {message}");
    }
}

#[test]
fn name_resolving_to_loopback_is_refused_unless_the_address_is_listed() {
    let port = http_server::start();
    let url = format!("http://localhost:{port}/hello");
    let refused = eval_with_http("http_private.toml", "allow = [\"localhost\"]", &rescued(&url));
    let message = refused["value"].as_str().unwrap();
    assert!(message.contains("non-public address"), "{message}");
    let allowed = eval_with_http(
        "http_private_listed.toml",
        "allow = [\"localhost\", \"127.0.0.1\", \"[::1]\"]",
        &format!("HTTP::Client.get({url:?})[:status]"),
    );
    assert_eq!(allowed["value"], json!(200), "{allowed}");
}

#[test]
fn a_listed_private_address_is_exempt_only_on_its_listed_port() {
    let (listed, unlisted) = (http_server::start(), http_server::start());
    let allow = format!("allow = [\"127.0.0.1:{listed}\", \"[::1]:{listed}\", \"localhost\"]");
    // By name, directly: only the listed port passes the address check.
    let ok = eval_with_http(
        "http_port_listed.toml",
        &allow,
        &format!("HTTP::Client.get('http://localhost:{listed}/hello')[:status]"),
    );
    assert_eq!(ok["value"], json!(200), "{ok}");
    let url = format!("http://localhost:{unlisted}/hello");
    let record = eval_with_http("http_port_unlisted.toml", &allow, &rescued(&url));
    let message = record["value"].as_str().unwrap();
    assert!(
        message.contains(&format!(":{unlisted}, which is not on the allowlist")),
        "{message}"
    );
    // Through a redirect from the allowed port to the other one, by name
    // and by address.
    for target in [url, format!("http://127.0.0.1:{unlisted}/hello")] {
        let hop = format!("http://127.0.0.1:{listed}/redirect-to?{target}");
        let record = eval_with_http("http_port_redirect.toml", &allow, &rescued(&hop));
        let message = record["value"].as_str().unwrap();
        assert!(message.contains("HTTP::Client refused"), "{target}: {message}");
    }
}

#[test]
fn redirect_to_an_allowed_host_is_followed() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_redirect.toml",
        &format!("allow = [\"127.0.0.1:{port}\"]"),
        &format!("HTTP::Client.get('http://127.0.0.1:{port}/redirect-here')[:body]"),
    );
    assert_eq!(record["value"], json!("hello from the test server"), "{record}");
}

#[test]
fn redirect_to_a_host_not_on_the_allowlist_is_refused() {
    let port = http_server::start();
    let allow = format!("allow = [\"127.0.0.1:{port}\"]");
    for target in [
        format!("http://localhost:{port}/hello"),
        "http://example.com/".to_owned(),
        "file:///etc/passwd".to_owned(),
    ] {
        let url = format!("http://127.0.0.1:{port}/redirect-to?{target}");
        let record = eval_with_http("http_redirect_away.toml", &allow, &rescued(&url));
        let message = record["value"].as_str().unwrap();
        assert!(message.contains("HTTP::Client refused"), "{target}: {message}");
    }
}

#[test]
fn script_headers_are_not_sent_to_a_redirect_on_another_origin() {
    let port = http_server::start();
    let to_other_origin = format!("http://localhost:{port}/hello");
    let record = eval_with_http(
        "http_redirect_headers.toml",
        "allow = [\"127.0.0.1\", \"localhost\", \"[::1]\"]",
        &format!(
            "r = HTTP::Client.get('http://127.0.0.1:{port}/redirect-to?{to_other_origin}', \
             headers: {{'x-token' => 's3'}})\n[r[:status], r[:headers]['x-token-seen']]"
        ),
    );
    assert_eq!(record["value"], json!([200, null]), "{record}");
}

#[test]
fn endless_redirects_stop_with_an_error() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_loop.toml",
        "allow = [\"127.0.0.1\"]",
        &rescued(&format!("http://127.0.0.1:{port}/loop")),
    );
    assert!(
        record["value"].as_str().unwrap().contains("redirects"),
        "{record}"
    );
}

#[test]
fn response_over_the_size_cap_is_refused_and_one_under_it_is_returned() {
    let port = http_server::start();
    let http = "allow = [\"127.0.0.1\"]\nmax_response_bytes = 1000";
    let over = eval_with_http(
        "http_big.toml",
        http,
        &rescued(&format!("http://127.0.0.1:{port}/big?1001")),
    );
    assert!(
        over["value"].as_str().unwrap().contains("1000-byte cap"),
        "{over}"
    );
    let under = eval_with_http(
        "http_small.toml",
        http,
        &format!("HTTP::Client.get('http://127.0.0.1:{port}/big?1000')[:body].size"),
    );
    assert_eq!(under["value"], json!(1000), "{under}");
}

#[test]
fn slow_response_past_the_time_cap_is_an_error() {
    let port = http_server::start();
    let record = eval_with_http(
        "http_slow.toml",
        "allow = [\"127.0.0.1\"]\ntimeout = 0.5",
        &rescued(&format!("http://127.0.0.1:{port}/hang")),
    );
    assert!(
        record["value"].as_str().unwrap().contains("timed out"),
        "{record}"
    );
}

#[test]
fn bad_arguments_are_argument_errors() {
    let record = eval_with_http(
        "http_args.toml",
        "allow = [\"127.0.0.1\"]",
        "def msg; yield; rescue => e; e.message; end\n\
         [msg { HTTP::Client.get(1) }, msg { HTTP::Client.post('x') }, \
          msg { HTTP::Client.get('http://127.0.0.1/', headers: {'Host' => 'x'}) }]",
    );
    let messages = record["value"].as_array().unwrap();
    assert!(
        messages[0].as_str().unwrap().contains("one String url"),
        "{record}"
    );
    assert!(
        messages[1].as_str().unwrap().contains("no method post"),
        "{record}"
    );
    assert!(messages[2].as_str().unwrap().contains("Host header"), "{record}");
}
