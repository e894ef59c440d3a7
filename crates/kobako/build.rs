//! Computes the SHA-256 of the bundled guest once, at build time, so a new
//! process finds its compiled form in the module cache without hashing two
//! megabytes first.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
    let guest = Path::new("guest/kobako.wasm");
    println!("cargo:rerun-if-changed={}", guest.display());
    let bytes = std::fs::read(guest)
        .expect("guest/kobako.wasm is committed; run `cargo xtask guest` if it is missing");
    let digest = Sha256::digest(&bytes);
    let mut listed = String::new();
    for byte in digest {
        let _ = write!(listed, "{byte:#04x}, ");
    }
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled_digest.rs");
    std::fs::write(out, format!("[{listed}]\n")).expect("OUT_DIR is writable");
}
