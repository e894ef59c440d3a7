//! Evaluates one script many times, for profiling the per-invocation path:
//! `cargo run --release -p kobako --example eval_loop -- 20000 [SCRIPT]`.
//! The script defaults to `nil`; `Math::Add.call(a, b)` is bound when the
//! script uses it.

fn main() -> Result<(), kobako::Error> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let script = args.next().unwrap_or_else(|| "nil".to_owned());
    let mut builder = kobako::Sandbox::builder();
    if script.contains("Math::Add") {
        builder.service_fn("Math::Add", |a: i64, b: i64| a + b)?;
    }
    let sandbox = builder.build()?;
    let started = std::time::Instant::now();
    for _ in 0..count {
        sandbox.eval(&script)?;
    }
    println!("{:?} per eval of {script:?}", started.elapsed() / count as u32);
    Ok(())
}
