//! `HTTP::Client`: GET requests to the hosts the manifest allows. Every hop
//! of a redirect is checked against the allowlist, only http and https are
//! spoken, and a name that resolves to a private or loopback address is
//! refused unless that address itself is on the allowlist.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use kobako::{Call, Fault, Service, Value};
use ureq::Agent;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use url::{Host, Url};

use crate::manifest::HttpConfig;
use crate::service_doc::{ArgDoc, MethodDoc, ServiceDoc};

/// Redirect hops followed before a request is given up.
const MAX_REDIRECTS: usize = 5;

/// One `allow` entry: a host name or IP address, and optionally one port.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AllowedHost {
    host: Host<String>,
    port: Option<u16>,
}

impl AllowedHost {
    /// Parses `host`, `host:port`, an IP address, or `[v6]:port`; the error
    /// says what is wrong with the entry.
    pub(crate) fn parse(entry: &str) -> Result<AllowedHost, String> {
        if entry.contains("://") {
            return Err("has a scheme; give the host only, e.g. \"api.example.com\"".into());
        }
        if entry.is_empty() || entry.contains(['/', '@', '?', '#', '*', ' ']) {
            return Err(
                "is not a host; give a name or address with an optional :port, without paths or wildcards"
                    .into(),
            );
        }
        let (host, port) = split_port(entry)?;
        let host = Host::parse(host).map_err(|e| format!("is not a valid host ({e})"))?;
        Ok(AllowedHost { host, port })
    }

    fn admits(&self, host: &Host<String>, port: u16) -> bool {
        self.host == *host && self.port.is_none_or(|p| p == port)
    }

    /// Whether this entry names `address` itself (an IP entry), on its
    /// port when the entry lists one: what a name resolving to a non-public
    /// address needs.
    fn names_address(&self, address: SocketAddr) -> bool {
        let ip = match self.host {
            Host::Ipv4(ip) => IpAddr::V4(ip),
            Host::Ipv6(ip) => IpAddr::V6(ip),
            Host::Domain(_) => return false,
        };
        ip == address.ip() && self.port.is_none_or(|p| p == address.port())
    }
}

impl std::fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => write!(f, "{}", self.host),
        }
    }
}

fn split_port(entry: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = if let Some(rest) = entry.strip_prefix('[') {
        let (v6, after) = rest
            .split_once(']')
            .ok_or("has an unclosed `[`; write an IPv6 address as [::1] or [::1]:8080")?;
        let host = &entry[..v6.len() + 2];
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':').ok_or("has text after `]`")?)),
        }
    } else {
        match entry.rsplit_once(':') {
            Some((host, _)) if host.contains(':') => {
                return Err("looks like an IPv6 address; write it in brackets, e.g. [::1]".into());
            }
            Some((host, port)) => (host, Some(port)),
            None => (entry, None),
        }
    };
    let port = port
        .map(|p| {
            p.parse::<u16>()
                .map_err(|_| format!("has the port `{p}`, which is not a number from 0 to 65535"))
        })
        .transpose()?;
    Ok((host, port))
}

/// Whether `ip` is an ordinary public address (not loopback, private,
/// link-local, shared, documentation, multicast or otherwise reserved).
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        || (first == 0x0064 && ip.segments()[1] == 0xff9b))
}

/// Resolves names as usual, then refuses private and loopback addresses
/// (with their port) that the allowlist does not name; checked on every
/// connection, so also on every redirect hop.
#[derive(Debug)]
struct CheckedResolver {
    allow: Arc<Vec<AllowedHost>>,
}

impl Resolver for CheckedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addresses = DefaultResolver::default().resolve(uri, config, timeout)?;
        for &address in addresses.iter() {
            if !is_public(address.ip()) && !self.allow.iter().any(|a| a.names_address(address)) {
                return Err(ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "{} resolves to the non-public address {address}, which is not on the allowlist",
                        uri.host().unwrap_or_default()
                    ),
                )));
            }
        }
        Ok(addresses)
    }
}

/// The `HTTP::Client` service.
pub(crate) struct HttpClient {
    agent: Agent,
    config: HttpConfig,
}

fn refused(message: String) -> Fault {
    Fault::runtime(format!("HTTP::Client refused: {message}"))
}

impl HttpClient {
    /// A client that may reach only what `config` allows, with no proxy and
    /// no automatic redirects.
    pub(crate) fn new(config: HttpConfig) -> HttpClient {
        let agent_config = Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .user_agent("kobako")
            .build();
        let resolver = CheckedResolver {
            allow: Arc::new(config.allow.clone()),
        };
        let agent = Agent::with_parts(agent_config, DefaultConnector::new(), resolver);
        HttpClient { agent, config }
    }

    /// Checks the scheme and host of one hop.
    fn check(&self, url: &Url) -> Result<(), Fault> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refused(format!(
                "the scheme `{}` is not allowed; use http or https",
                url.scheme()
            )));
        }
        let (Some(host), Some(port)) = (url.host(), url.port_or_known_default()) else {
            return Err(refused(format!("{url} has no host")));
        };
        let host = host.to_owned();
        if self.config.allow.iter().any(|a| a.admits(&host, port)) {
            Ok(())
        } else {
            Err(refused(format!("{host}:{port} is not on the allowlist")))
        }
    }

    fn get(&self, url: &str, headers: &[(String, String)]) -> Result<Value, Fault> {
        let started = Instant::now();
        let mut url = Url::parse(url)
            .map_err(|e| Fault::argument(format!("HTTP::Client.get: `{url}` is not a URL ({e})")))?;
        let origin = url.origin();
        for _ in 0..=MAX_REDIRECTS {
            self.check(&url)?;
            let remaining = self
                .config
                .timeout
                .checked_sub(started.elapsed())
                .ok_or_else(|| Fault::runtime("HTTP::Client: the request timed out"))?;
            let mut request = self
                .agent
                .get(url.as_str())
                .config()
                .timeout_global(Some(remaining))
                .build();
            // The script's headers (credentials, say) go to its own origin only.
            if url.origin() == origin {
                for (name, value) in headers {
                    request = request.header(name, value);
                }
            }
            let mut response = request.call().map_err(request_fault)?;
            let location = response.headers().get("location").and_then(|l| l.to_str().ok());
            if let (true, Some(location)) = (response.status().is_redirection(), location) {
                url = url
                    .join(location)
                    .map_err(|e| Fault::runtime(format!("HTTP::Client: bad redirect `{location}` ({e})")))?;
                continue;
            }
            let status = i64::from(response.status().as_u16());
            let mut names: Vec<(String, String)> = Vec::new();
            for (name, value) in response.headers() {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                match names.iter_mut().find(|(n, _)| n == name.as_str()) {
                    Some((_, joined)) => {
                        joined.push_str(", ");
                        joined.push_str(&value);
                    }
                    None => names.push((name.as_str().to_owned(), value)),
                }
            }
            let body = response
                .body_mut()
                .with_config()
                .limit(self.config.max_response_bytes)
                .read_to_vec()
                .map_err(request_fault)?;
            let body = match String::from_utf8(body) {
                Ok(text) => Value::Str(text),
                Err(e) => Value::Bin(e.into_bytes()),
            };
            let headers = names
                .into_iter()
                .map(|(n, v)| (Value::Str(n), Value::Str(v)))
                .collect();
            return Ok(Value::Map(vec![
                (Value::Sym("status".into()), Value::Int(status)),
                (Value::Sym("headers".into()), Value::Map(headers)),
                (Value::Sym("body".into()), body),
            ]));
        }
        Err(Fault::runtime(format!(
            "HTTP::Client: more than {MAX_REDIRECTS} redirects"
        )))
    }
}

/// A transport failure as the script sees it, without host internals.
fn request_fault(e: ureq::Error) -> Fault {
    match e {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => refused(io.to_string()),
        ureq::Error::BodyExceedsLimit(limit) => Fault::runtime(format!(
            "HTTP::Client: the response body is larger than the {limit}-byte cap"
        )),
        ureq::Error::Timeout(_) => Fault::runtime("HTTP::Client: the request timed out"),
        other => Fault::runtime(format!("HTTP::Client: the request failed ({other})")),
    }
}

/// The `headers:` keyword as name-value pairs; the Host header is the
/// client's to set.
fn headers_arg(value: Option<&Value>) -> Result<Vec<(String, String)>, Fault> {
    let pairs = match value {
        None | Some(Value::Nil) => return Ok(Vec::new()),
        Some(Value::Map(pairs)) => pairs,
        Some(other) => {
            return Err(Fault::argument(format!(
                "HTTP::Client.get: headers must be a Hash of Strings, not {other}"
            )));
        }
    };
    pairs
        .iter()
        .map(|(name, value)| match (name, value) {
            (Value::Str(n) | Value::Sym(n), Value::Str(v)) => {
                if n.eq_ignore_ascii_case("host") {
                    Err(Fault::argument("HTTP::Client.get: the Host header cannot be set"))
                } else {
                    Ok((n.clone(), v.clone()))
                }
            }
            _ => Err(Fault::argument(format!(
                "HTTP::Client.get: header {name} => {value} is not a String pair"
            ))),
        })
        .collect()
}

impl Service for HttpClient {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match (call.method(), call.args()) {
            ("get", [Value::Str(url)]) => self.get(url, &headers_arg(call.kwarg("headers"))?),
            ("get", args) => Err(Fault::argument(format!(
                "HTTP::Client.get takes one String url (and headers:), given {} arguments",
                args.len()
            ))),
            (method, _) => Err(Fault::undefined(format!(
                "HTTP::Client has no method {method}; it has get"
            ))),
        }
    }
}

/// How `HTTP::Client` is described to a script's author.
pub(crate) fn describe(config: &HttpConfig) -> ServiceDoc {
    let hosts: Vec<String> = config.allow.iter().map(ToString::to_string).collect();
    ServiceDoc {
        path: "HTTP::Client",
        summary: format!(
            "HTTP GET to these hosts only: {}. Responses over {} bytes or slower than {} s fail.",
            hosts.join(", "),
            config.max_response_bytes,
            config.timeout.as_secs_f64()
        ),
        methods: vec![MethodDoc {
            name: "get",
            args: &[
                ArgDoc {
                    name: "url",
                    ty: "String",
                    keyword: false,
                },
                ArgDoc {
                    name: "headers",
                    ty: "Hash[String, String]",
                    keyword: true,
                },
            ],
            returns: "{ status: Integer, headers: Hash[String, String], body: String }",
            doc: "Fetches url (http or https), following up to 5 redirects to allowed hosts; header names are lower-case.",
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_link_local_and_reserved_addresses_are_not_public() {
        for address in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(address.parse().unwrap()), "{address}");
        }
        for address in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(address.parse().unwrap()), "{address}");
        }
    }

    #[test]
    fn allow_entries_parse_names_addresses_and_ports() {
        let entry = AllowedHost::parse("API.Example.com:8443").unwrap();
        assert_eq!(entry.to_string(), "api.example.com:8443");
        assert!(entry.admits(&Host::Domain("api.example.com".into()), 8443));
        assert!(!entry.admits(&Host::Domain("api.example.com".into()), 443));
        let v6 = AllowedHost::parse("[::1]:80").unwrap();
        assert!(v6.names_address("[::1]:80".parse().unwrap()));
        assert!(!v6.names_address("[::1]:81".parse().unwrap()));
        let any_port = AllowedHost::parse("10.0.0.5").unwrap();
        assert!(any_port.admits(&Host::Ipv4("10.0.0.5".parse().unwrap()), 1234));
        assert!(any_port.names_address("10.0.0.5:1234".parse().unwrap()));
        assert!(
            !AllowedHost::parse("localhost")
                .unwrap()
                .names_address("127.0.0.1:80".parse().unwrap())
        );
        for bad in [
            "",
            "http://a.com",
            "a.com/x",
            "*.a.com",
            "a.com:99999",
            "::1",
            "[::1",
            "[::1]x",
        ] {
            assert!(AllowedHost::parse(bad).is_err(), "{bad:?}");
        }
    }
}
