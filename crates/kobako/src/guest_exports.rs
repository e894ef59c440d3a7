//! The guest exports the host calls, resolved once per instance and kept in
//! the store so host imports need no lookup by name.

use wasmtime::{AsContextMut, Instance, TypedFunc};

use crate::guest_memory::GuestMemory;

/// The typed exports of one guest instance.
#[derive(Clone)]
pub(crate) struct GuestExports {
    pub(crate) abi_version: TypedFunc<(), i32>,
    pub(crate) alloc: TypedFunc<u32, u32>,
    pub(crate) take_outcome: TypedFunc<(), u64>,
    pub(crate) memory: GuestMemory,
    /// Runs a service's block; a guest without it cannot take blocks.
    pub(crate) yield_block: Option<TypedFunc<(u32, u32), u64>>,
    /// How far mruby's heap grew in the last invocation; optional.
    pub(crate) heap_growth: Option<TypedFunc<(), u32>>,
}

impl GuestExports {
    /// Looks the exports up; a missing required one is an error naming it.
    pub(crate) fn resolve(instance: &Instance, mut store: impl AsContextMut) -> wasmtime::Result<Self> {
        Ok(GuestExports {
            abi_version: instance.get_typed_func(&mut store, "kobako_abi_version")?,
            alloc: instance.get_typed_func(&mut store, "kobako_alloc")?,
            take_outcome: instance.get_typed_func(&mut store, "kobako_take_outcome")?,
            memory: GuestMemory::of_instance(instance, &mut store)
                .ok_or_else(|| wasmtime::Error::msg("missing export `memory`"))?,
            yield_block: instance.get_typed_func(&mut store, "kobako_yield").ok(),
            heap_growth: instance.get_typed_func(&mut store, "kobako_heap_growth").ok(),
        })
    }
}
