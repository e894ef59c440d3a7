//! What the benchmarks run, shared with the comparison against the original
//! (`benches/peer` at the repository root includes this file), so both
//! measure the same scripts and the same yielding service.
#![allow(dead_code)] // each benchmark uses its own subset

use kobako::{Call, Fault, Service, Value};

/// 1,000 iterations of a loop: the baseline the per-call figures subtract.
pub const LOOP_1000: &str = "s = 0; 1000.times { |i| s = s + i }; s";
/// The same loop with one service call per iteration (`Math::Add`).
pub const SERVICE_CALLS_1000: &str = "s = 0; 1000.times { |i| s = Math::Add.call(s, i) }; s";
/// One service call that yields 1,000 times (`Loop::Repeat`).
pub const YIELDS_1000: &str = "s = 0; Loop::Repeat.run(1000) { |i| s += i }; s";
/// The preloaded entrypoint `run` calls.
pub const ENTRY: &str = "Entry = ->(x) { x + 1 }";

/// The CPU-bound scripts, by benchmark id.
pub const CPU_SCRIPTS: &[(&str, &str)] = &[
    (
        "fib25",
        "def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)\nfib(25)",
    ),
    (
        "string_build",
        "s = +''\n200_000.times { |i| s << i.to_s << ',' }\ns.size",
    ),
    (
        "oo_particles",
        "class Vec\n  attr_reader :x, :y\n  def initialize(x, y)\n    @x = x\n    @y = y\n  end\n  def +(other) = Vec.new(@x + other.x, @y + other.y)\n  def dot(other) = @x * other.x + @y * other.y\nend\nclass Particle\n  attr_reader :velocity\n  def initialize(position, velocity)\n    @position = position\n    @velocity = velocity\n  end\n  def step\n    @position += @velocity\n    self\n  end\n  def energy = @velocity.dot(@velocity)\nend\nparticles = Array.new(100) { |i| Particle.new(Vec.new(i, -i), Vec.new(1, 2)) }\n1_000.times { particles.each(&:step) }\nparticles.sum(&:energy)",
    ),
    (
        "hash_churn",
        "h = {}\n100_000.times { |i| h[\"k#{i % 5000}\"] = i; h.delete(\"k#{(i * 7) % 5000}\") }\nh.size",
    ),
];

/// Yields `n` times to the guest block (`Loop::Repeat.run(n) { ... }`).
pub struct Repeat;

impl Service for Repeat {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        let n = call.args().first().and_then(Value::as_int).unwrap_or(0);
        let block = call.block().ok_or_else(|| Fault::argument("needs a block"))?;
        for i in 0..n {
            block.call(vec![Value::Int(i)])?;
        }
        Ok(Value::Nil)
    }
}
