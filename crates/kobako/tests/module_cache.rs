//! The on-disk cache of compiled guests (a fresh process skips compiling).
//! One test function, because the cache directory is process-wide state.
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;

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

#[test]
fn b01_compiled_guests_are_cached_on_disk_and_bad_entries_are_ignored() {
    let dir = std::env::temp_dir().join(format!("kobako-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // SAFETY: no other thread of this test binary reads the environment.
    unsafe { std::env::set_var("KOBAKO_CACHE_DIR", &dir) };
    let guest = fault_guest("", &packed(1024, 3), "\\92\\00\\2a");
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

    // A corrupt entry is ignored and rewritten.
    std::fs::write(entry, b"garbage").unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert!(std::fs::read(entry).unwrap().len() > 32, "the entry was rebuilt");

    // An entry whose checksum does not match its content is not loaded.
    let mut tampered = std::fs::read(entry).unwrap();
    let last = tampered.len() - 1;
    tampered[last] ^= 0xff;
    std::fs::write(entry, &tampered).unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert_ne!(
        std::fs::read(entry).unwrap(),
        tampered,
        "the tampered entry was replaced"
    );

    // A directory others can write to is not used at all.
    std::fs::remove_file(entry).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    assert_eq!(build().eval("").unwrap().into_value(), kobako::Value::Int(42));
    assert!(entries(&dir).is_empty(), "nothing written to a shared directory");

    // KOBAKO_CACHE_DIR=off turns the cache off.
    // SAFETY: as above.
    unsafe { std::env::set_var("KOBAKO_CACHE_DIR", "off") };
    assert!(build().eval("").is_ok());

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
    // SAFETY: as above.
    unsafe { std::env::set_var("KOBAKO_CACHE_DIR", &dir) };
    assert!(with_cache(None).eval("").is_ok());
    assert!(
        !own.exists() && entries(&dir).is_empty(),
        "module_cache(None) writes nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
