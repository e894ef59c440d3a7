//! Times the first invocation in a fresh process (engine, guest image from
//! the compiled-module cache, instance, `eval("nil")`), for the cold-start
//! figure: `cargo run --release -p kobako --example first_eval`. Run it
//! once first so the cache is warm.

fn main() -> Result<(), kobako::Error> {
    let started = std::time::Instant::now();
    let sandbox = kobako::Sandbox::builder().build()?;
    sandbox.eval("nil")?;
    let first = started.elapsed();
    let started = std::time::Instant::now();
    sandbox.eval("nil")?;
    println!("first invocation {first:?}, second {:?}", started.elapsed());
    Ok(())
}
