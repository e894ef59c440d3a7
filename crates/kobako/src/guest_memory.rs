//! Bounds-checked access to guest linear memory. Every pointer and length
//! the guest hands over is checked against the memory's current size (which
//! may have grown) before it is used.

use wasmtime::{AsContext, AsContextMut, Caller, Extern, Instance, Memory, Store};

/// Size of a WebAssembly page.
const WASM_PAGE: usize = 64 << 10;

/// The guest's exported linear memory.
#[derive(Clone, Copy)]
pub(crate) struct GuestMemory(Memory);

impl GuestMemory {
    /// The memory export of the instance a host import was called from.
    pub(crate) fn of_caller<T>(caller: &mut Caller<'_, T>) -> Option<Self> {
        match caller.get_export("memory") {
            Some(Extern::Memory(memory)) => Some(GuestMemory(memory)),
            _ => None,
        }
    }

    /// The memory of an instance the host holds.
    pub(crate) fn of_instance(instance: &Instance, store: impl AsContextMut) -> Option<Self> {
        instance.get_memory(store, "memory").map(GuestMemory)
    }

    /// The guest bytes and the invocation state, borrowed together.
    pub(crate) fn data_and_state<'a, T: 'static>(
        &self,
        caller: &'a mut Caller<'_, T>,
    ) -> (&'a [u8], &'a mut T) {
        let (data, state) = self.0.data_and_store_mut(caller);
        (data, state)
    }

    /// `data[ptr..ptr + len]`, or `None` if any byte is out of bounds.
    pub(crate) fn slice(data: &[u8], ptr: u32, len: u32) -> Option<&[u8]> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize)?;
        data.get(start..end)
    }

    /// Copies `len` bytes out of guest memory, or `None` if out of bounds.
    pub(crate) fn read(&self, store: impl AsContext, ptr: u32, len: u32) -> Option<Vec<u8>> {
        Self::slice(self.0.data(&store), ptr, len).map(<[u8]>::to_vec)
    }

    /// Writes `bytes` at `ptr`; false if any byte would be out of bounds.
    pub(crate) fn write(&self, store: impl AsContextMut, ptr: u32, bytes: &[u8]) -> bool {
        self.0.write(store, ptr as usize, bytes).is_ok()
    }

    /// All of guest memory, for the host's own bookkeeping.
    pub(crate) fn data<'a, T: 'static>(&self, store: &'a Store<T>) -> &'a [u8] {
        self.0.data(store)
    }

    /// All of guest memory, writable by the host.
    pub(crate) fn data_mut<'a, T: 'static>(&self, store: &'a mut Store<T>) -> &'a mut [u8] {
        self.0.data_mut(store)
    }

    /// Drops every page of this memory from the process's page tables, once
    /// its instance has finished and nothing will read it again. Each slot of
    /// the pooling allocator keeps its pages mapped between instances, and
    /// each invocation's reset walks the mapped ones: a memory the host read
    /// whole (the bake's diff) would otherwise stay fully mapped, and cost
    /// every later invocation in its slot a walk over all of it. Linux only;
    /// elsewhere the pages stay and the slot's reset restores them as usual.
    pub(crate) fn release_pages<T: 'static>(&self, store: &mut Store<T>) {
        #[cfg(target_os = "linux")]
        {
            let data = self.0.data_mut(store);
            // SAFETY: `data` is this memory's whole accessible range, which
            // wasmtime maps privately, from the module's memory image (a
            // copy-on-write file mapping) followed by anonymous memory.
            // MADV_DONTNEED on a private mapping drops the process's copies:
            // the next access sees the image's bytes or zeros, which is the
            // content the slot's reset restores anyway, and no reference
            // into the memory outlives `data` (the instance has returned).
            // The call only fails on an unaligned or unmapped range, and then
            // changes nothing.
            unsafe {
                libc::madvise(data.as_mut_ptr().cast(), data.len(), libc::MADV_DONTNEED);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = store;
    }

    /// Grows the memory to at least `bytes` (whole wasm pages).
    pub(crate) fn grow_to(&self, mut store: impl AsContextMut, bytes: usize) -> wasmtime::Result<()> {
        let current = self.0.data_size(&store);
        if bytes > current {
            let pages = (bytes - current).div_ceil(WASM_PAGE);
            self.0.grow(&mut store, pages as u64)?;
        }
        Ok(())
    }
}
