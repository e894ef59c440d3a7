//! Per-invocation cost, next to the floor: a bare wasmtime instantiate-and-call
//! of an empty module with the engine settings `src/engine.rs` uses (pooling
//! allocator, exceptions, epoch interruption), measured in the same run.
//!
//! Run with `cargo bench -p kobako --bench invocation`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kobako::Sandbox;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, Linker, Module, PoolingAllocationConfig, Store};

fn floor(c: &mut Criterion) {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(1000)
        .total_memories(1000)
        .total_tables(1000)
        .total_gc_heaps(1000);
    let mut config = Config::new();
    config
        .wasm_exceptions(true)
        .epoch_interruption(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    let engine = Engine::new(&config).unwrap();
    let module = Module::new(
        &engine,
        r#"(module (memory (export "memory") 1) (func (export "run")))"#,
    )
    .unwrap();
    let pre = Linker::<()>::new(&engine).instantiate_pre(&module).unwrap();
    c.bench_function("floor: instantiate + call empty module", |b| {
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
    let sandbox = Sandbox::new().unwrap();
    c.bench_function("eval(\"nil\")", |b| b.iter(|| sandbox.eval("nil").unwrap()));
    let loop_10k = "i = 0; 10_000.times { i += 1 }; i";
    c.bench_function("eval(10k-iteration loop)", |b| {
        b.iter(|| sandbox.eval(loop_10k).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = floor, eval
}
criterion_main!(benches);
