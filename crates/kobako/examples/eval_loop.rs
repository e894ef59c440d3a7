//! Evaluates `nil` many times, for profiling the per-invocation path:
//! `cargo run --release -p kobako --example eval_loop -- 20000`.

fn main() -> Result<(), kobako::Error> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let sandbox = kobako::Sandbox::new()?;
    let started = std::time::Instant::now();
    for _ in 0..count {
        sandbox.eval("nil")?;
    }
    println!("{:?} per eval(\"nil\")", started.elapsed() / count as u32);
    Ok(())
}
