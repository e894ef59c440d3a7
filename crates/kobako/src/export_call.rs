//! Calling one guest export: instantiate the image in a store (with a baked
//! state written over it), place the request in guest memory, call the
//! export, and copy the outcome bytes out.

use wasmtime::Store;

use crate::baked_state::BakedState;
use crate::guest_exports::GuestExports;
use crate::guest_image::GuestImage;
use crate::guest_memory::GuestMemory;
use crate::store::{Stop, StoreState};
use crate::wire::MESSAGE_MAX;

/// Instantiates the image (with `baked` written over it), hands `request`
/// to the export `name` and returns the outcome bytes and the memory. A
/// failure the host detects is recorded as the store's stop reason.
pub(crate) fn call_export(
    image: &GuestImage,
    store: &mut Store<StoreState>,
    name: &str,
    request: &[u8],
    baked: Option<&BakedState>,
) -> wasmtime::Result<(Vec<u8>, GuestMemory)> {
    let instance = image.pre.instantiate(&mut *store)?;
    let exports = GuestExports::resolve(&instance, &mut *store)?;
    store.data_mut().exports = Some(exports.clone());
    if let Some(baked) = baked {
        baked.apply(exports.memory, store)?;
    }
    store.data_mut().start_charging();
    let entry = instance.get_typed_func::<(u32, u32), ()>(&mut *store, name)?;
    let Ok(len) = u32::try_from(request.len()) else {
        return Err(store
            .data_mut()
            .stop(Stop::WireViolation("request too large".into())));
    };
    let ptr = exports.alloc.call(&mut *store, len)?;
    if ptr == 0 {
        let why = format!("the guest could not reserve {len} bytes for the request");
        return Err(store.data_mut().stop(Stop::NoRoom(why)));
    }
    if !exports.memory.write(&mut *store, ptr, request) {
        let why = format!("kobako_alloc returned an out-of-bounds buffer at {ptr:#x}");
        return Err(store.data_mut().stop(Stop::WireViolation(why)));
    }
    entry.call(&mut *store, (ptr, len))?;
    if let Some(heap_growth) = &exports.heap_growth {
        let grown = heap_growth.call(&mut *store, ())?;
        store.data_mut().note_heap_growth(grown);
    }
    Ok((take_outcome(&exports, store)?, exports.memory))
}

/// Copies the outcome bytes out of guest memory; empty when there is none.
fn take_outcome(exports: &GuestExports, store: &mut Store<StoreState>) -> wasmtime::Result<Vec<u8>> {
    let packed = exports.take_outcome.call(&mut *store, ())?;
    if packed == 0 {
        return Ok(Vec::new());
    }
    let (ptr, len) = ((packed >> 32) as u32, packed as u32);
    if len as usize > MESSAGE_MAX {
        let why = format!("the outcome is {len} bytes, over the 16 MiB message limit");
        return Err(store.data_mut().stop(Stop::WireViolation(why)));
    }
    match exports.memory.read(&*store, ptr, len) {
        Some(bytes) => Ok(bytes),
        None => {
            let why = format!("the outcome at {ptr:#x}+{len} is out of bounds");
            Err(store.data_mut().stop(Stop::WireViolation(why)))
        }
    }
}
