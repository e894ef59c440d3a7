//! Per-invocation cost, next to the floor: a bare wasmtime instantiate-and-call
//! of an empty module with the engine settings `src/engine.rs` uses (pooling
//! allocator, exceptions, epoch interruption), measured in the same run.
//!
//! Run with `cargo bench -p kobako --bench invocation`; `cargo xtask bench`
//! runs it with the other benchmarks and writes the table in
//! docs/benchmarks.md. Benchmark ids are the names the table looks up.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kobako::{Call, Fault, Sandbox, Service, Value};
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, Linker, Module, PoolingAllocationConfig, Store,
};

fn floor(c: &mut Criterion) {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(1000)
        .total_memories(1000)
        .total_tables(1000)
        .total_gc_heaps(1000)
        .linear_memory_keep_resident(4 << 20)
        .table_keep_resident(4 << 20)
        .pagemap_scan(Enabled::Auto);
    let mut config = Config::new();
    config
        .wasm_exceptions(true)
        .epoch_interruption(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    let engine = Engine::new(&config).unwrap();
    let wasm = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "run")))"#).unwrap();
    let module = Module::new(&engine, wasm).unwrap();
    let pre = Linker::<()>::new(&engine).instantiate_pre(&module).unwrap();
    c.bench_function("floor", |b| {
        b.iter(|| {
            let mut store = Store::new(&engine, ());
            store.set_epoch_deadline(1);
            let instance = pre.instantiate(&mut store).unwrap();
            let run = instance.get_typed_func::<(), ()>(&mut store, "run").unwrap();
            run.call(&mut store, ()).unwrap();
        })
    });
}

fn eval(c: &mut Criterion) {
    c.bench_function("new_sandbox", |b| b.iter(|| Sandbox::new().unwrap()));
    let sandbox = Sandbox::new().unwrap();
    c.bench_function("eval_nil", |b| b.iter(|| sandbox.eval("nil").unwrap()));
}

/// Yields `n` times to the guest block.
struct Repeat;

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

fn services(c: &mut Criterion) {
    let sandbox = Sandbox::new().unwrap();
    sandbox.service_fn("Math::Add", |a: i64, b: i64| a + b).unwrap();
    sandbox.service("Loop::Repeat", Repeat).unwrap();
    // The same loop without crossing the boundary: the per-call cost is
    // the difference, divided by 1,000.
    c.bench_function("loop_1000", |b| {
        b.iter(|| sandbox.eval("s = 0; 1000.times { |i| s = s + i }; s").unwrap())
    });
    c.bench_function("service_calls_1000", |b| {
        b.iter(|| {
            sandbox
                .eval("s = 0; 1000.times { |i| s = Math::Add.call(s, i) }; s")
                .unwrap()
        })
    });
    c.bench_function("yields_1000", |b| {
        b.iter(|| {
            sandbox
                .eval("s = 0; Loop::Repeat.run(1000) { |i| s += i }; s")
                .unwrap()
        })
    });
}

fn entrypoints(c: &mut Criterion) {
    for count in [0, 8, 64] {
        let sandbox = Sandbox::new().unwrap();
        for i in 0..count {
            let source =
                format!("module Lib{i}; def self.rate = {i}; end; Rule{i} = ->(x) {{ x * Lib{i}.rate }}");
            sandbox.preload_source(&format!("Snippet{i}"), &source).unwrap();
        }
        sandbox
            .preload_source("Entry", "Entry = ->(x) { x + 1 }")
            .unwrap();
        c.bench_function(&format!("run_snippets_{count}"), |b| {
            b.iter(|| sandbox.run("Entry", &[Value::Int(1)], &[]).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = floor, eval, services, entrypoints
}
criterion_main!(benches);
