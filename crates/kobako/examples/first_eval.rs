//! Times the first invocation in a fresh process (engine, guest image from
//! the compiled-module cache, instance, `eval("nil")`), for the cold-start
//! figure: `cargo run --release -p kobako --example first_eval`. Run it
//! once first so the cache is warm. An argument sets the pool size (the
//! engine reserves that many instance slots at start-up).

fn main() -> Result<(), kobako::Error> {
    let started = std::time::Instant::now();
    let mut builder = kobako::Sandbox::builder();
    if let Some(slots) = std::env::args().nth(1).and_then(|n| n.parse().ok()) {
        builder = builder.pool_size(slots);
    }
    let sandbox = builder.build()?;
    sandbox.eval("nil")?;
    let first = started.elapsed();
    let started = std::time::Instant::now();
    sandbox.eval("nil")?;
    println!("first invocation {first:?}, second {:?}", started.elapsed());
    Ok(())
}
