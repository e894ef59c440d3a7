//! The wasmtime configuration every engine uses: the pooling allocator,
//! exceptions and epoch interruption. It imports nothing from the crate, so
//! the benchmarks include this file and measure their floor with the same
//! settings.

use wasmtime::{Config, Enabled, InstanceAllocationStrategy, PoolingAllocationConfig};

/// Bytes of each memory (and table) slot kept resident between instances.
const KEEP_RESIDENT: usize = 4 << 20;

/// The engine configuration with `slots` pooled instances (and tables and
/// GC heaps): the most invocations in flight at once. Each instance may use
/// two memory slots, since a GC heap (where exceptions live) takes one.
pub(crate) fn engine_config(slots: u32) -> Config {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_core_instances(slots)
        .total_memories(slots.saturating_mul(2))
        .total_tables(slots)
        .total_gc_heaps(slots)
        .max_memory_size(1 << 32)
        // Reset the first MiBs of a slot in place instead of unmapping them:
        // the pre-initialised image lives there, and refaulting its pages
        // dominated the cost of a short invocation.
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(KEEP_RESIDENT)
        // Reset only the pages an instance wrote (Linux PAGEMAP_SCAN, where
        // the kernel has it), not the whole resident region.
        .pagemap_scan(Enabled::Auto);

    let mut config = Config::new();
    config
        .wasm_exceptions(true)
        .epoch_interruption(true)
        .allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    // For `perf`: name the guest's compiled functions in /tmp/perf-PID.map.
    if std::env::var_os("KOBAKO_PERF_MAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    config
}
