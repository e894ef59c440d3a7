//! What plain output tells a person about a cap the run hit: output cut at
//! its limit, or a run stopped by the memory or time cap, with the flag and
//! manifest key that raise it.

use kobako::{Error, Output};

/// One notice per output stream that was cut at its limit.
pub(crate) fn truncation_notices(output: &Output) -> Vec<String> {
    [
        ("stdout", output.stdout_truncated(), output.stdout().len()),
        ("stderr", output.stderr_truncated(), output.stderr().len()),
    ]
    .into_iter()
    .filter(|(_, truncated, _)| *truncated)
    .map(|(stream, _, kept)| {
        format!(
            "{stream} was truncated after {kept} bytes; {}",
            raise_hint(&format!("{stream}-limit"), "BYTES")
        )
    })
    .collect()
}

/// For a run or a compilation stopped by the memory or time cap, how to
/// raise the cap.
pub(crate) fn cap_hint(error: &Error) -> Option<String> {
    let (cap, flag, unit) = if error.is_memory_limit() {
        ("memory", "memory-limit", "BYTES")
    } else if error.is_timeout() {
        ("time", "timeout", "SECS")
    } else {
        return None;
    };
    Some(format!("stopped at the {cap} limit; {}", raise_hint(flag, unit)))
}

/// `raise it with --FLAG UNIT or KEY under [limits] in the manifest`.
fn raise_hint(flag: &str, unit: &str) -> String {
    let key = flag.replace('-', "_");
    format!("raise it with --{flag} {unit} (or `none`), or `{key}` under [limits] in the manifest")
}
