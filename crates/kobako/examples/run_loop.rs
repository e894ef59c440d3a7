//! Runs a preloaded entrypoint many times with `SNIPPETS` extra snippets
//! preloaded, for profiling baked starts:
//! `cargo run --release -p kobako --example run_loop -- 20000 64`.

use kobako::{Sandbox, Value};

fn main() -> Result<(), kobako::Error> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let snippets: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let mut builder = Sandbox::builder();
    for i in 0..snippets {
        let source =
            format!("module Lib{i}; def self.rate = {i}; end; Rule{i} = ->(x) {{ x * Lib{i}.rate }}");
        builder.preload_source(&format!("Snippet{i}"), &source)?;
    }
    builder.preload_source("Entry", "Entry = ->(x) { x + 1 }")?;
    let sandbox = builder.build()?;
    let started = std::time::Instant::now();
    for _ in 0..count {
        sandbox.run("Entry", &[Value::Int(1)], [])?;
    }
    println!(
        "{:?} per run with {snippets} extra snippets",
        started.elapsed() / count as u32
    );
    Ok(())
}
