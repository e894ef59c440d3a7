//! Per-invocation cost, next to the floor: a bare wasmtime instantiate-and-call
//! of an empty module with the engine settings the library uses (pooling
//! allocator, exceptions, epoch interruption; `src/engine_config.rs`, which
//! this file includes), measured in the same run.
//!
//! Run with `cargo bench -p kobako --bench invocation`; `cargo xtask bench`
//! runs it with the other benchmarks and writes the table in
//! docs/benchmarks.md. Benchmark ids are the names the table looks up.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kobako::{DEFAULT_POOL_SIZE, Sandbox, Value};
use wasmtime::{Engine, Linker, Module, Store};

/// The library's engine configuration, so the floor cannot drift from it.
#[path = "../src/engine_config.rs"]
mod engine_config;
mod shared;

use shared::{ENTRY, LOOP_1000, Repeat, SERVICE_CALLS_1000, YIELDS_1000};

fn floor(c: &mut Criterion) {
    let engine = Engine::new(&engine_config::engine_config(DEFAULT_POOL_SIZE)).unwrap();
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

fn services(c: &mut Criterion) {
    let mut builder = Sandbox::builder();
    builder.service_fn("Math::Add", |a: i64, b: i64| a + b).unwrap();
    builder.service("Loop::Repeat", Repeat).unwrap();
    let sandbox = builder.build().unwrap();
    // The same loop without crossing the boundary: the per-call cost is
    // the difference, divided by 1,000.
    c.bench_function("loop_1000", |b| b.iter(|| sandbox.eval(LOOP_1000).unwrap()));
    c.bench_function("service_calls_1000", |b| {
        b.iter(|| sandbox.eval(SERVICE_CALLS_1000).unwrap())
    });
    c.bench_function("yields_1000", |b| b.iter(|| sandbox.eval(YIELDS_1000).unwrap()));
}

fn entrypoints(c: &mut Criterion) {
    for count in [0, 8, 64] {
        let mut builder = Sandbox::builder();
        for i in 0..count {
            let source =
                format!("module Lib{i}; def self.rate = {i}; end; Rule{i} = ->(x) {{ x * Lib{i}.rate }}");
            builder.preload_source(&format!("Snippet{i}"), &source).unwrap();
        }
        builder.preload_source("Entry", ENTRY).unwrap();
        let sandbox = builder.build().unwrap();
        c.bench_function(&format!("run_snippets_{count}"), |b| {
            b.iter(|| sandbox.run("Entry", &[Value::Int(1)], []).unwrap())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = floor, eval, services, entrypoints
}
criterion_main!(benches);
