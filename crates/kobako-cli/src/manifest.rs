//! The service manifest (`kobako.toml`): the caps every script runs under and
//! the built-in services bound for it. Relative paths in it are read from the
//! manifest's own folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::services::http_client::AllowedHost;

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
struct RawServices {
    kv: Option<RawKv>,
    http: Option<RawHttp>,
    data: Option<RawData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKv {
    path: PathBuf,
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
}

/// A checked manifest: caps, and the configuration of each enabled service.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    /// Caps set in `[limits]`; a missing key keeps the command's default.
    pub(crate) limits: Limits,
    /// `[services.kv]`: where the `KV::Store` database lives.
    pub(crate) kv: Option<PathBuf>,
    /// `[services.http]`: what `HTTP::Client` may reach.
    pub(crate) http: Option<HttpConfig>,
    /// `[services.data]`: the documents `Data::Files` serves, by name.
    pub(crate) data: Option<BTreeMap<String, PathBuf>>,
    /// `[mcp] max_concurrent_runs`: how many `execute` calls `kobako mcp`
    /// runs at once; unset keeps the default.
    pub(crate) max_concurrent_runs: Option<usize>,
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
    /// the key at fault.
    pub(crate) fn load(path: &Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the manifest {}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Manifest::parse(&text, base).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses manifest text; relative paths are taken from `base`.
    fn parse(text: &str, base: &Path) -> Result<Manifest, String> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| e.to_string())?;
        let limits = check_limits(&raw.limits)?;
        let kv = raw.services.kv.map(|kv| base.join(kv.path));
        let http = raw.services.http.map(check_http).transpose()?;
        let data = raw.services.data.map(|data| check_data(data, base)).transpose()?;
        let max_concurrent_runs = raw
            .mcp
            .max_concurrent_runs
            .map(check_concurrent_runs)
            .transpose()?;
        Ok(Manifest {
            limits,
            kv,
            http,
            data,
            max_concurrent_runs,
        })
    }
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
    if value > 0 {
        Ok(value)
    } else {
        Err(format!(
            "`{key}` must be a number of bytes greater than 0, not 0; remove it for the default"
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

fn check_data(raw: RawData, base: &Path) -> Result<BTreeMap<String, PathBuf>, String> {
    let mut files = BTreeMap::new();
    for (name, path) in raw.files {
        if name.is_empty() {
            return Err("`services.data.files` has an empty name; give each file a name".into());
        }
        let path = base.join(path);
        if !path.is_file() {
            return Err(format!(
                "`services.data.files.{name}` names {}, which is not a readable file",
                path.display()
            ));
        }
        files.insert(name, path);
    }
    Ok(files)
}
