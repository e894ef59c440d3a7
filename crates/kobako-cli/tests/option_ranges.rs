//! Every numeric option and manifest key of the CLI is range-checked: zero,
//! negatives, NaN, infinities and values too small to mean anything are
//! usage errors naming the option (exit 64); very large timeouts saturate.
//! None of them panics the host.

mod common;

use common::{eval_with_manifest, kobako, temp_file};

const BAD_SECONDS: &[&str] = &["0", "-1", "NaN", "inf", "-inf", "1e-300", "0.0001"];
const BAD_BYTES: &[&str] = &["0", "-1", "NaN", "inf", "1e300", "1.5", "x"];

#[test]
fn timeout_flag_refuses_values_that_mean_nothing() {
    for value in BAD_SECONDS {
        let arg = format!("--timeout={value}");
        let ran = kobako(&["eval", &arg, "-e", "1"]);
        assert_eq!(ran.code, 64, "--timeout {value}: {}", ran.stderr);
        assert!(
            ran.stderr.contains("timeout"),
            "--timeout {value}: {}",
            ran.stderr
        );
        assert!(
            !ran.stderr.contains("panicked"),
            "--timeout {value}: {}",
            ran.stderr
        );
    }
}

#[test]
fn byte_flags_refuse_values_that_mean_nothing() {
    for flag in ["--memory-limit", "--stdout-limit", "--stderr-limit"] {
        for value in BAD_BYTES {
            let arg = format!("{flag}={value}");
            let ran = kobako(&["eval", &arg, "-e", "1"]);
            assert_eq!(ran.code, 64, "{flag} {value}: {}", ran.stderr);
            assert!(!ran.stderr.contains("panicked"), "{flag} {value}: {}", ran.stderr);
        }
    }
}

#[test]
fn very_large_timeouts_saturate_instead_of_panicking() {
    for value in ["1e19", "1e15"] {
        let ran = kobako(&["eval", "--no-value", "--timeout", value, "-e", "print 6 * 7"]);
        assert_eq!(ran.code, 0, "--timeout {value}: {}", ran.stderr);
        assert_eq!(ran.stdout, "42", "--timeout {value}");
    }
    // Too large to be a Duration at all: refused, with the option named.
    let ran = kobako(&["eval", "--timeout", "1e300", "-e", "1"]);
    assert_eq!(ran.code, 64, "{}", ran.stderr);
    assert!(ran.stderr.contains("timeout"), "{}", ran.stderr);
}

#[test]
fn manifest_timeouts_are_range_checked_and_saturate() {
    for (key, section) in [
        ("timeout", "[limits]"),
        ("timeout", "[services.http]\nallow = [\"example.com\"]"),
    ] {
        for value in ["0", "-1", "nan", "inf", "1e-300"] {
            let manifest = temp_file("ranges.toml", format!("{section}\n{key} = {value}\n").as_bytes());
            let ran = eval_with_manifest(&manifest, &["-e", "1"]);
            assert_eq!(ran.code, 64, "{section} {key} = {value}: {}", ran.stderr);
            assert!(
                ran.stderr.contains(key),
                "{section} {key} = {value}: {}",
                ran.stderr
            );
            assert!(
                !ran.stderr.contains("panicked"),
                "{section} {key} = {value}: {}",
                ran.stderr
            );
        }
        for value in ["1e19", "1e300"] {
            let manifest = temp_file("ranges.toml", format!("{section}\n{key} = {value}\n").as_bytes());
            let ran = eval_with_manifest(&manifest, &["--no-value", "-e", "print 1"]);
            assert!(
                !ran.stderr.contains("panicked"),
                "{section} {key} = {value}: {}",
                ran.stderr
            );
        }
    }
}

#[test]
fn endless_stdin_stops_at_the_source_limit() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kobako"))
        .args(["eval", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Far more than the limit; the writer stops when kobako stops reading.
    let chunk = vec![b'1'; 1 << 20];
    let writer = std::thread::spawn(move || {
        for _ in 0..64 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Reading stopped just past the limit; the library refused the source.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("larger than the 16 MiB limit"), "{stderr}");
}
