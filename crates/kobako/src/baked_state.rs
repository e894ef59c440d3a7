//! The state a Sandbox's invocations start from once its services are bound
//! and its snippets replayed: computed once, at the first invocation, and
//! kept as the guest memory that differs from the bundled image.

use wasmtime::Store;

use crate::guest_memory::GuestMemory;

/// Granularity of the comparison with the image, in bytes: a cache line, so
/// the bytes written into each instance are close to the bytes that changed
/// (a bake typically changes a few dozen bytes per page it touches).
const CHUNK: usize = 64;

/// Guest memory after the bake, as the byte runs that differ from the image.
pub(crate) struct BakedState {
    /// Size of the baked memory in bytes (at least the image's).
    memory_size: usize,
    /// `(offset, length)` of each differing run, in address order.
    runs: Vec<(usize, usize)>,
    /// The bytes of every run, back to back.
    bytes: Vec<u8>,
}

impl BakedState {
    /// Records where `baked` differs from `image` (memory past the image's
    /// end counts as zeros there, as a fresh grown page is).
    pub(crate) fn diff(image: &[u8], baked: &[u8]) -> BakedState {
        let mut state = BakedState {
            memory_size: baked.len(),
            runs: Vec::new(),
            bytes: Vec::new(),
        };
        for (index, chunk) in baked.chunks(CHUNK).enumerate() {
            let offset = index * CHUNK;
            let unchanged = match image.get(offset..offset + chunk.len()) {
                Some(before) => before == chunk,
                None => offset >= image.len() && chunk.iter().all(|&b| b == 0),
            };
            if unchanged {
                continue;
            }
            match state.runs.last_mut() {
                Some((start, len)) if *start + *len == offset => *len += chunk.len(),
                _ => state.runs.push((offset, chunk.len())),
            }
            state.bytes.extend_from_slice(chunk);
        }
        state
    }

    /// Bytes written into each new instance.
    pub(crate) fn changed_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Grows a fresh instance's memory to the baked size and writes the
    /// baked runs over the image.
    pub(crate) fn apply<T: 'static>(
        &self,
        memory: GuestMemory,
        store: &mut Store<T>,
    ) -> wasmtime::Result<()> {
        memory.grow_to(&mut *store, self.memory_size)?;
        let data = memory.data_mut(store);
        let mut bytes = self.bytes.as_slice();
        for &(offset, len) in &self.runs {
            let (run, rest) = bytes.split_at(len);
            data[offset..offset + len].copy_from_slice(run);
            bytes = rest;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_keeps_only_changed_chunks_and_grown_nonzero_memory() {
        let image = vec![1u8; CHUNK * 4];
        let mut baked = image.clone();
        baked[CHUNK + 7] = 9; // chunk 1
        baked[CHUNK * 2] = 9; // chunk 2, adjacent: one run
        baked.extend(vec![0u8; CHUNK]); // grown, still zero: skipped
        baked.extend(vec![5u8; CHUNK]); // grown, written
        let state = BakedState::diff(&image, &baked);
        assert_eq!(state.memory_size, CHUNK * 6);
        assert_eq!(state.runs, vec![(CHUNK, CHUNK * 2), (CHUNK * 5, CHUNK)]);
        assert_eq!(state.changed_bytes(), CHUNK * 3);
        assert_eq!(&state.bytes[7], &9);
    }

    #[test]
    fn diff_of_identical_memory_is_empty() {
        let image = vec![3u8; CHUNK * 2 + 100];
        let state = BakedState::diff(&image, &image);
        assert!(state.runs.is_empty());
        assert_eq!(state.changed_bytes(), 0);
    }
}
