//! What a script can call, written for a model's prompt: each bound service's
//! methods with argument types, return shape and a one-line doc, as plain
//! text (RBS-like signatures) or JSON.

use serde_json::{Value as Json, json};

use crate::sandbox_args::Caps;

/// One bound service: its constant path, what it is for, and its methods.
pub(crate) struct ServiceDoc {
    pub(crate) path: &'static str,
    pub(crate) summary: String,
    pub(crate) methods: Vec<MethodDoc>,
}

/// One method of a service, as a script calls it.
pub(crate) struct MethodDoc {
    pub(crate) name: &'static str,
    pub(crate) args: &'static [ArgDoc],
    pub(crate) returns: &'static str,
    pub(crate) doc: &'static str,
}

/// One argument: positional, or an optional keyword (`headers:`).
pub(crate) struct ArgDoc {
    pub(crate) name: &'static str,
    pub(crate) ty: &'static str,
    pub(crate) keyword: bool,
}

const PREAMBLE: &str = "The value of the script's last expression is the result; puts/p output is \
captured. Services are Ruby constants. A refused or failed service call raises Kobako::ServiceError, \
which the script can rescue.";

fn signature(path: &str, method: &MethodDoc) -> String {
    let args: Vec<String> = method
        .args
        .iter()
        .map(|a| {
            if a.keyword {
                format!("?{}: {}", a.name, a.ty)
            } else {
                format!("{} {}", a.ty, a.name)
            }
        })
        .collect();
    format!(
        "def {path}.{}: ({}) -> {}",
        method.name,
        args.join(", "),
        method.returns
    )
}

fn limit_text(value: Option<String>) -> String {
    value.unwrap_or_else(|| "unlimited".into())
}

/// The description as plain text, one signature line per method.
pub(crate) fn render_text(services: &[ServiceDoc], limits: &Caps, guest_notes: &str) -> String {
    let mut text = format!("{guest_notes}\n{PREAMBLE}\n");
    if services.is_empty() {
        text.push_str("\nNo services are bound: the script can only compute and print.\n");
    }
    for service in services {
        text.push_str(&format!("\n{}: {}\n", service.path, service.summary));
        for method in &service.methods {
            text.push_str(&format!(
                "  {}\n      # {}\n",
                signature(service.path, method),
                method.doc
            ));
        }
    }
    text.push_str(&format!(
        "\nLimits per run: time {}, memory growth {}, stdout {}, stderr {}.\n",
        limit_text(limits.timeout_secs.map(|s| format!("{s} s"))),
        limit_text(limits.memory_limit.map(|b| format!("{b} bytes"))),
        limit_text(limits.stdout_limit.map(|b| format!("{b} bytes"))),
        limit_text(limits.stderr_limit.map(|b| format!("{b} bytes"))),
    ));
    text
}

/// The description as one JSON object (`services`, `limits`, `notes`).
pub(crate) fn render_json(services: &[ServiceDoc], limits: &Caps, guest_notes: &str) -> Json {
    let services: Vec<Json> = services
        .iter()
        .map(|service| {
            let methods: Vec<Json> = service
                .methods
                .iter()
                .map(|method| {
                    let args: Vec<Json> = method
                        .args
                        .iter()
                        .map(|a| json!({"name": a.name, "type": a.ty, "keyword": a.keyword}))
                        .collect();
                    json!({
                        "name": method.name,
                        "signature": signature(service.path, method),
                        "args": args,
                        "returns": method.returns,
                        "doc": method.doc,
                    })
                })
                .collect();
            json!({"path": service.path, "summary": service.summary, "methods": methods})
        })
        .collect();
    json!({
        "notes": format!("{guest_notes} {PREAMBLE}"),
        "services": services,
        "limits": {
            "timeout": limits.timeout_secs,
            "memory_limit": limits.memory_limit,
            "stdout_limit": limits.stdout_limit,
            "stderr_limit": limits.stderr_limit,
        },
    })
}
