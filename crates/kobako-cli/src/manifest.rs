//! The service manifest (`kobako.toml`): the caps every script runs under and
//! the built-in services bound for it. Relative paths in it are read from the
//! manifest's own folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::services::http_client::AllowedHost;
use crate::services::kv_quota::KvLimits;
use crate::services::kv_redis::RedisUrl;

/// Default time cap for one HTTP request, redirects included.
const DEFAULT_HTTP_TIMEOUT_SECS: f64 = 10.0;
/// Default cap on one HTTP response body.
const DEFAULT_HTTP_MAX_BYTES: u64 = 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    services: RawServices,
    #[serde(default)]
    mcp: RawMcp,
    #[serde(default)]
    serve: RawServe,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    timeout: Option<f64>,
    memory_limit: Option<u64>,
    stdout_limit: Option<u64>,
    stderr_limit: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMcp {
    max_concurrent_runs: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServe {
    token_env: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServices {
    kv: Option<RawKv>,
    http: Option<RawHttp>,
    data: Option<RawData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKv {
    path: Option<PathBuf>,
    url: Option<String>,
    prefix: Option<String>,
    max_key_bytes: Option<u64>,
    max_value_bytes: Option<u64>,
    max_total_bytes: Option<u64>,
    max_keys: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    allow: Vec<String>,
    timeout: Option<f64>,
    max_response_bytes: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    files: BTreeMap<String, PathBuf>,
    max_document_bytes: Option<u64>,
}

/// A checked manifest: caps, and the configuration of each enabled service.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    /// Caps set in `[limits]`; a missing key keeps the command's default.
    pub(crate) limits: Limits,
    /// `[services.kv]`: where the `KV::Store` data lives, and its caps.
    pub(crate) kv: Option<KvConfig>,
    /// `[services.http]`: what `HTTP::Client` may reach.
    pub(crate) http: Option<HttpConfig>,
    /// `[services.data]`: the documents `Data::Files` serves, by name.
    pub(crate) data: Option<DataConfig>,
    /// `[mcp] max_concurrent_runs`: how many `execute` calls `kobako mcp`
    /// runs at once; unset keeps the default.
    pub(crate) max_concurrent_runs: Option<usize>,
    /// `[serve] token_env`: the environment variable holding the bearer
    /// token `kobako serve` requires.
    pub(crate) token_env: Option<String>,
}

/// The `[services.kv]` table, checked.
#[derive(Debug, Clone)]
pub(crate) struct KvConfig {
    /// Where the entries are kept.
    pub(crate) location: KvLocation,
    /// What the store may hold.
    pub(crate) limits: KvLimits,
}

/// Where a `KV::Store` keeps its entries: `path` or `url` in the manifest.
#[derive(Debug, Clone)]
pub(crate) enum KvLocation {
    /// A redb file on this machine (`path`).
    File(PathBuf),
    /// A Redis server (`url`), the store's keys named with `prefix` first.
    Redis { url: RedisUrl, prefix: String },
}

impl KvConfig {
    /// The store file at `path` under the default caps (what `--kv PATH`
    /// binds).
    pub(crate) fn with_default_limits(path: PathBuf) -> KvConfig {
        KvConfig {
            location: KvLocation::File(path),
            limits: KvLimits::default(),
        }
    }
}

/// The `[services.data]` table, checked.
#[derive(Debug, Clone)]
pub(crate) struct DataConfig {
    /// The documents, by the name a script asks for.
    pub(crate) files: BTreeMap<String, PathBuf>,
    /// The largest document served, in bytes.
    pub(crate) max_document_bytes: u64,
}

/// The `[limits]` table: each cap the manifest sets.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Option<f64>,
    pub(crate) memory_limit: Option<u64>,
    pub(crate) stdout_limit: Option<u64>,
    pub(crate) stderr_limit: Option<u64>,
}

/// The `[services.http]` table, checked.
#[derive(Debug, Clone)]
pub(crate) struct HttpConfig {
    /// Hosts (and optionally ports) a script may request.
    pub(crate) allow: Vec<AllowedHost>,
    /// Time cap for one request, redirects included.
    pub(crate) timeout: Duration,
    /// Cap on one response body, in bytes.
    pub(crate) max_response_bytes: u64,
}

impl Manifest {
    /// Reads and checks the manifest at `path`; the error names the file and
    /// the key at fault, and never shows the password of a URL in it.
    pub(crate) fn load(path: &Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the manifest {}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Manifest::parse(&text, base)
            .map_err(|e| format!("{}: {}", path.display(), without_url_credentials(&e)))
    }

    /// Parses manifest text; relative paths are taken from `base`.
    fn parse(text: &str, base: &Path) -> Result<Manifest, String> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| toml_error(text, e))?;
        let limits = check_limits(&raw.limits)?;
        let kv = raw.services.kv.map(|kv| check_kv(kv, base)).transpose()?;
        let http = raw.services.http.map(check_http).transpose()?;
        let data = raw.services.data.map(|data| check_data(data, base)).transpose()?;
        let max_concurrent_runs = raw
            .mcp
            .max_concurrent_runs
            .map(check_concurrent_runs)
            .transpose()?;
        let token_env = raw.serve.token_env.map(check_token_env).transpose()?;
        Ok(Manifest {
            limits,
            kv,
            http,
            data,
            max_concurrent_runs,
            token_env,
        })
    }
}

/// A TOML error as its place, what is wrong and the key it is in, without
/// the source line the toml crate would quote: that line may hold a password.
fn toml_error(text: &str, mut e: toml::de::Error) -> String {
    let span = e.span();
    e.set_input(None);
    let what = e.to_string().trim_end().replace('\n', " ");
    let Some(span) = span else {
        return format!("TOML parse error: {what}");
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
    format!("TOML parse error at line {line}, column {column}: {what}")
}

/// `message` with the credentials of every URL in it replaced by `***`: all
/// that comes before each `@`, back to the `://` before it or else to the
/// start of its word, so a password with odd characters is hidden too.
fn without_url_credentials(message: &str) -> String {
    let mut hidden = vec![false; message.len()];
    for (at, _) in message.match_indices('@') {
        let before = &message[..at];
        let start = match before.rfind("://") {
            Some(scheme_end) => scheme_end + 3,
            None => before
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8()),
        };
        hidden[start..at].fill(true);
    }
    let mut shown = String::with_capacity(message.len());
    let mut in_hidden = false;
    for (i, c) in message.char_indices() {
        match (hidden[i], in_hidden) {
            (true, false) => shown.push_str("***"),
            (true, true) => {}
            (false, _) => shown.push(c),
        }
        in_hidden = hidden[i];
    }
    shown
}

/// The shortest timeout an option or manifest key accepts: shorter ones
/// round to nothing.
pub(crate) const MIN_SECONDS: f64 = 0.001;
/// Longer timeouts saturate here (about 31 years), so adding one to the
/// clock can never overflow.
const MAX_SECONDS: f64 = 1e9;

fn positive_seconds(key: &str, value: f64) -> Result<f64, String> {
    if value.is_finite() && value >= MIN_SECONDS {
        Ok(value)
    } else {
        Err(format!(
            "`{key}` must be a finite number of seconds, at least {MIN_SECONDS}, not {value}; set it to e.g. 10"
        ))
    }
}

fn positive_bytes(key: &str, value: u64) -> Result<u64, String> {
    positive(key, value, "a number of bytes")
}

/// `value` if above 0; the error names `key` and says it is `what`.
fn positive(key: &str, value: u64, what: &str) -> Result<u64, String> {
    if value > 0 {
        Ok(value)
    } else {
        Err(format!(
            "`{key}` must be {what} greater than 0, not 0; remove it for the default"
        ))
    }
}

/// The most runs `[mcp] max_concurrent_runs` allows in flight: each holds
/// a thread and up to its memory limit.
const MAX_CONCURRENT_RUNS: usize = 1024;

fn check_concurrent_runs(value: i64) -> Result<usize, String> {
    match usize::try_from(value) {
        Ok(runs @ 1..=MAX_CONCURRENT_RUNS) => Ok(runs),
        _ => Err(format!(
            "`mcp.max_concurrent_runs` must be a whole number from 1 to {MAX_CONCURRENT_RUNS}, not {value}; \
             remove it for the default (twice the number of cores)"
        )),
    }
}

fn check_token_env(name: String) -> Result<String, String> {
    if name.is_empty() || name.contains(['=', '\0']) {
        return Err(format!(
            "`serve.token_env` must name an environment variable, e.g. \"KOBAKO_TOKEN\", not {name:?}"
        ));
    }
    Ok(name)
}

fn check_limits(raw: &RawLimits) -> Result<Limits, String> {
    Ok(Limits {
        timeout: raw
            .timeout
            .map(|v| positive_seconds("limits.timeout", v))
            .transpose()?,
        memory_limit: raw
            .memory_limit
            .map(|v| positive_bytes("limits.memory_limit", v))
            .transpose()?,
        stdout_limit: raw
            .stdout_limit
            .map(|v| positive_bytes("limits.stdout_limit", v))
            .transpose()?,
        stderr_limit: raw
            .stderr_limit
            .map(|v| positive_bytes("limits.stderr_limit", v))
            .transpose()?,
    })
}

fn check_http(raw: RawHttp) -> Result<HttpConfig, String> {
    if raw.allow.is_empty() {
        return Err(
            "`services.http.allow` is empty; list the hosts scripts may reach, e.g. [\"api.example.com\"]"
                .into(),
        );
    }
    let allow = raw
        .allow
        .iter()
        .map(|entry| {
            AllowedHost::parse(entry).map_err(|why| format!("`services.http.allow` entry \"{entry}\" {why}"))
        })
        .collect::<Result<_, _>>()?;
    let timeout = positive_seconds(
        "services.http.timeout",
        raw.timeout.unwrap_or(DEFAULT_HTTP_TIMEOUT_SECS),
    )?;
    let max_response_bytes = positive_bytes(
        "services.http.max_response_bytes",
        raw.max_response_bytes.unwrap_or(DEFAULT_HTTP_MAX_BYTES),
    )?;
    Ok(HttpConfig {
        allow,
        timeout: Duration::from_secs_f64(timeout.min(MAX_SECONDS)),
        max_response_bytes,
    })
}

fn check_kv(raw: RawKv, base: &Path) -> Result<KvConfig, String> {
    let default = KvLimits::default();
    let bytes = |key: &str, value: Option<u64>, fallback: u64| {
        positive_bytes(&format!("services.kv.{key}"), value.unwrap_or(fallback))
    };
    let limits = KvLimits {
        max_key_bytes: bytes("max_key_bytes", raw.max_key_bytes, default.max_key_bytes)?,
        max_value_bytes: bytes("max_value_bytes", raw.max_value_bytes, default.max_value_bytes)?,
        max_total_bytes: bytes("max_total_bytes", raw.max_total_bytes, default.max_total_bytes)?,
        max_keys: positive(
            "services.kv.max_keys",
            raw.max_keys.unwrap_or(default.max_keys),
            "a number of keys",
        )?,
    };
    Ok(KvConfig {
        location: kv_location(raw.path, raw.url, raw.prefix, base)?,
        limits,
    })
}

/// Where `[services.kv]` keeps the store: a file (`path`) or a Redis server
/// (`url`, optionally `prefix`), never both.
fn kv_location(
    path: Option<PathBuf>,
    url: Option<String>,
    prefix: Option<String>,
    base: &Path,
) -> Result<KvLocation, String> {
    if path.is_some() && url.is_some() {
        return Err(
            "`services.kv.path` and `services.kv.url` are both set; keep `path` for a store \
                    file on this machine or `url` for a Redis server, not both"
                .into(),
        );
    }
    if prefix.is_some() && url.is_none() {
        return Err(
            "`services.kv.prefix` is set without `services.kv.url`; a prefix names the keys \
                    of a Redis store: set `url` too, or remove `prefix`"
                .into(),
        );
    }
    match (path, url) {
        (Some(path), _) => Ok(KvLocation::File(base.join(path))),
        (None, Some(url)) => Ok(KvLocation::Redis {
            url: RedisUrl::parse(&url)?,
            prefix: prefix.unwrap_or_default(),
        }),
        (None, None) => Err(
            "`services.kv` needs `path` (a store file, e.g. \"state.redb\") or `url` \
                             (a Redis server, e.g. \"redis://127.0.0.1:6379/0\")"
                .into(),
        ),
    }
}

/// The most `services.data.max_document_bytes` may be, and its default: a
/// larger document could not cross to the guest (the wire's message limit).
const MAX_DOCUMENT_BYTES: u64 = kobako::MAX_SOURCE_BYTES as u64;

fn check_data(raw: RawData, base: &Path) -> Result<DataConfig, String> {
    let key = "services.data.max_document_bytes";
    let max_document_bytes = positive_bytes(key, raw.max_document_bytes.unwrap_or(MAX_DOCUMENT_BYTES))?;
    if max_document_bytes > MAX_DOCUMENT_BYTES {
        return Err(format!(
            "`{key}` must be at most {MAX_DOCUMENT_BYTES} (16 MiB, what one result can carry), not {max_document_bytes}"
        ));
    }
    let mut files = BTreeMap::new();
    for (name, path) in raw.files {
        if name.is_empty() {
            return Err("`services.data.files` has an empty name; give each file a name".into());
        }
        let path = base.join(path);
        // A named pipe or device is allowed: reads stop at the run's deadline.
        if path.metadata().map_or(true, |m| m.is_dir()) {
            return Err(format!(
                "`services.data.files.{name}` names {}, which is not a readable file",
                path.display()
            ));
        }
        files.insert(name, path);
    }
    Ok(DataConfig {
        files,
        max_document_bytes,
    })
}
