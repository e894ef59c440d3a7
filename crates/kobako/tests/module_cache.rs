//! The on-disk cache of compiled guests (a fresh process skips compiling):
//! a valid entry is read and not rewritten, bad ones are ignored, stale ones
//! are pruned, and turning the cache off writes nothing.
//! One test function, because the cache directory is process-wide state.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use common::*;
use kobako::Sandbox;

fn entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

/// The inode and modification time of a file: an entry that is rewritten
/// (a temp file renamed over it) gets a new inode.
fn identity(file: &Path) -> (u64, i64, i64) {
    let meta = std::fs::metadata(file).unwrap();
    (meta.ino(), meta.mtime(), meta.mtime_nsec())
}

/// A guest whose invocations all answer `value` (below 128).
fn answering(value: u8) -> Vec<u8> {
    fault_guest("", &packed(1024, 3), &format!("\\92\\00\\{value:02x}"))
}

#[test]
fn b01_compiled_guests_are_cached_on_disk_and_bad_entries_are_ignored() {
    let dir = std::env::temp_dir().join(format!("kobako-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // SAFETY: no other thread of this test binary reads the environment.
    unsafe { std::env::set_var("KOBAKO_CACHE_DIR", &dir) };
    let guest = answering(42);
    let build = || {
        Sandbox::builder()
            .guest_wasm_bytes(guest.clone())
            .build()
            .unwrap()
    };

    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    let cached = entries(&dir);
    assert_eq!(cached.len(), 1, "one entry written: {cached:?}");
    let entry = &cached[0];
    assert_eq!(
        std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );

    // A valid entry is read, not rewritten: a later build (as a fresh
    // process would) leaves the file as it was.
    let written = identity(entry);
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert_eq!(identity(entry), written, "the valid entry was not rewritten");
    assert_eq!(entries(&dir), cached);

    // And what is loaded is the entry, not a fresh compile: with another
    // guest's compiled code (valid) planted under this guest's
    // key, the Sandbox runs the planted code.
    let other = Sandbox::builder()
        .guest_wasm_bytes(answering(43))
        .build()
        .unwrap();
    assert_eq!(other.eval("").unwrap().into_value(), kobako::Value::Int(43));
    let other_entry = entries(&dir).into_iter().find(|e| e != entry).unwrap();
    let genuine = std::fs::read(entry).unwrap();
    std::fs::write(entry, std::fs::read(&other_entry).unwrap()).unwrap();
    std::fs::remove_file(&other_entry).unwrap();
    assert_eq!(
        build().eval("").unwrap().into_value(),
        kobako::Value::Int(43),
        "the planted entry was loaded instead of compiling"
    );
    std::fs::write(entry, genuine).unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));

    // A corrupt entry is ignored and rewritten.
    std::fs::write(entry, b"garbage").unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert!(std::fs::read(entry).unwrap().len() > 32, "the entry was rebuilt");

    // An entry cut short (as a write that never finished would leave it,
    // were entries not renamed into place) is not loaded.
    let whole = std::fs::read(entry).unwrap();
    let cut = &whole[..whole.len() / 2];
    std::fs::write(entry, cut).unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert_eq!(std::fs::read(entry).unwrap(), whole, "the cut entry was replaced");

    // Stale entries from older builds are pruned when one is written: the
    // newest are kept up to 64 MiB, so many small modules (as tests and
    // tools compile) do not push a guest out, and large ones do not pile up.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let stale_entry = |name: String, len: u64, age: u64| {
        let stale = dir.join(name);
        let file = std::fs::File::create(&stale).unwrap();
        file.set_len(len).unwrap();
        file.set_modified(old + std::time::Duration::from_secs(age))
            .unwrap();
        stale
    };
    let small: Vec<_> = (0..20)
        .map(|n| stale_entry(format!("small{n:02}.cwasm"), 20_000, 100 + n))
        .collect();
    let large: Vec<_> = (0..12)
        .map(|n| stale_entry(format!("large{n:02}.cwasm"), 8 << 20, n))
        .collect();
    std::fs::remove_file(entry).unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    let kept = entries(&dir);
    assert!(kept.contains(entry), "the entry just written stays: {kept:?}");
    for path in &small {
        assert!(kept.contains(path), "a newer small entry stays: {kept:?}");
    }
    // 64 MiB less the entry and the small ones leave room for 7 of the
    // 8 MiB ones, the newest.
    let kept_large: Vec<_> = large.iter().filter(|path| kept.contains(path)).collect();
    assert_eq!(kept_large, large[5..].iter().collect::<Vec<_>>(), "{kept:?}");
    for stale in kept.iter().filter(|path| *path != entry) {
        std::fs::remove_file(stale).unwrap();
    }

    // A directory others can write to is not used at all.
    std::fs::remove_file(entry).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert!(entries(&dir).is_empty(), "nothing written to a shared directory");

    // KOBAKO_CACHE_DIR=off turns the cache off: nothing is written, neither
    // in the fallback locations nor in a directory named `off`.
    let home = dir.join("home");
    let xdg = dir.join("xdg");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&xdg).unwrap();
    // SAFETY: as above.
    unsafe {
        std::env::set_var("KOBAKO_CACHE_DIR", "off");
        std::env::set_var("XDG_CACHE_HOME", &xdg);
        std::env::set_var("HOME", &home);
    }
    let before = entries(&dir);
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert_eq!(entries(&dir), before, "KOBAKO_CACHE_DIR=off wrote nothing");
    assert!(entries(&home).is_empty() && entries(&xdg).is_empty());
    assert!(!Path::new("off").exists(), "`off` is not a directory name");

    // The builder's option wins over the environment: a directory of its
    // own, or no cache at all.
    let own = dir.join("own");
    let with_cache = |cache: Option<std::path::PathBuf>| {
        Sandbox::builder()
            .guest_wasm_bytes(guest.clone())
            .module_cache(cache)
            .build()
            .unwrap()
    };
    assert_eq!(
        with_cache(Some(own.clone())).eval("").unwrap().into_value(),
        kobako::Value::Int(42)
    );
    assert_eq!(entries(&own).len(), 1, "one entry in the builder's directory");
    std::fs::remove_dir_all(&own).unwrap();
    // The environment names a private directory the cache would use.
    let from_env = dir.join("from-env");
    // SAFETY: as above.
    unsafe { std::env::set_var("KOBAKO_CACHE_DIR", &from_env) };
    assert_eq!(
        with_cache(None).eval("").unwrap().into_value(),
        kobako::Value::Int(42)
    );
    assert!(
        !own.exists() && !from_env.exists(),
        "module_cache(None) writes nothing"
    );
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert_eq!(
        entries(&from_env).len(),
        1,
        "but the environment's directory works"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
