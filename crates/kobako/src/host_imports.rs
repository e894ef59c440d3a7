//! The guest's WASI imports: a deliberately small subset of WASI preview 1
//! (the other host import, `kobako.dispatch`, is in dispatch.rs). Output
//! goes to the invocation's captures, clocks and entropy follow the profile,
//! and there are no files, sockets, environment or arguments: a module that
//! imports anything else fails to link.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wasmtime::{Caller, Linker};

use crate::guest_memory::GuestMemory;
use crate::limits::Profile;
use crate::store::{Stop, StoreState, caller_memory};

const WASI: &str = "wasi_snapshot_preview1";

// WASI errno values.
const ERRNO_SUCCESS: i32 = 0;
const ERRNO_BADF: i32 = 8;
const ERRNO_FAULT: i32 = 21;
const ERRNO_IO: i32 = 29;
const ERRNO_INVAL: i32 = 28;

// WASI clock ids: realtime, monotonic, process and thread CPU time.
const CLOCK_REALTIME: i32 = 0;
const CLOCK_THREAD_CPUTIME: i32 = 3;

/// What every entropy read returns under the hermetic profile.
const HERMETIC_ENTROPY_BYTE: u8 = 0x4b;

/// Most bytes one `random_get` may ask for.
const RANDOM_MAX: u32 = 1 << 16;

/// Most iovecs one `fd_write` may pass; wasi-libc never sends more than a
/// handful, and the bound keeps a hostile call cheap to refuse.
const IOVECS_MAX: u32 = 1024;

pub(crate) fn define(linker: &mut Linker<StoreState>) -> wasmtime::Result<()> {
    linker.func_wrap(WASI, "fd_write", fd_write)?;
    linker.func_wrap(WASI, "clock_time_get", clock_time_get)?;
    linker.func_wrap(WASI, "random_get", random_get)?;
    linker.func_wrap(WASI, "fd_close", |_fd: i32| ERRNO_BADF)?;
    linker.func_wrap(
        WASI,
        "fd_seek",
        |_fd: i32, _offset: i64, _whence: i32, _out: i32| ERRNO_BADF,
    )?;
    linker.func_wrap(
        WASI,
        "proc_exit",
        |mut caller: Caller<'_, StoreState>, code: i32| -> wasmtime::Result<()> {
            Err(caller.data_mut().stop(Stop::Exited(code)))
        },
    )?;
    Ok(())
}

/// Appends the gathered bytes to stdout (fd 1) or stderr (fd 2), clipping at
/// the channel's limit, and always reports every byte as written.
fn fd_write(mut caller: Caller<'_, StoreState>, fd: i32, iovs: i32, iovs_len: i32, written_out: i32) -> i32 {
    let Some(memory) = caller_memory(&mut caller) else {
        return ERRNO_FAULT;
    };
    if fd != 1 && fd != 2 {
        return ERRNO_BADF;
    }
    let iovs_len = iovs_len as u32;
    if iovs_len > IOVECS_MAX {
        return ERRNO_INVAL;
    }
    let (data, state) = memory.data_and_state(&mut caller);
    let Some(table) = GuestMemory::slice(data, iovs as u32, iovs_len.saturating_mul(8)) else {
        return ERRNO_FAULT;
    };
    let capture = if fd == 1 {
        &mut state.stdout
    } else {
        &mut state.stderr
    };
    let mut total: u32 = 0;
    for iov in table.chunks_exact(8) {
        let ptr = u32::from_le_bytes([iov[0], iov[1], iov[2], iov[3]]);
        let len = u32::from_le_bytes([iov[4], iov[5], iov[6], iov[7]]);
        let keep = (len as usize).min(capture.room()) as u32;
        let Some(bytes) = GuestMemory::slice(data, ptr, keep) else {
            return ERRNO_FAULT;
        };
        if GuestMemory::slice(data, ptr, len).is_none() {
            return ERRNO_FAULT;
        }
        capture.write(bytes);
        capture.drop_bytes((len - keep) as usize);
        total = total.saturating_add(len);
    }
    match memory.write(&mut caller, written_out as u32, &total.to_le_bytes()) {
        true => ERRNO_SUCCESS,
        false => ERRNO_FAULT,
    }
}

/// Hermetic: every clock reads 0 (the Unix epoch). Permissive: the host's
/// clocks.
fn clock_time_get(mut caller: Caller<'_, StoreState>, id: i32, _precision: i64, out: i32) -> i32 {
    let Some(memory) = caller_memory(&mut caller) else {
        return ERRNO_FAULT;
    };
    if !(CLOCK_REALTIME..=CLOCK_THREAD_CPUTIME).contains(&id) {
        return ERRNO_INVAL;
    }
    let state = caller.data();
    let nanos = match state.profile {
        Profile::Hermetic => 0,
        Profile::Permissive if id == CLOCK_REALTIME => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_nanos() as u64,
        Profile::Permissive => state.started.elapsed().as_nanos() as u64,
    };
    match memory.write(&mut caller, out as u32, &nanos.to_le_bytes()) {
        true => ERRNO_SUCCESS,
        false => ERRNO_FAULT,
    }
}

/// Hermetic: the same fixed bytes every time. Permissive: OS entropy.
fn random_get(mut caller: Caller<'_, StoreState>, buf: i32, len: i32) -> i32 {
    let Some(memory) = caller_memory(&mut caller) else {
        return ERRNO_FAULT;
    };
    let len = len as u32;
    if len > RANDOM_MAX {
        return ERRNO_INVAL;
    }
    let mut bytes = vec![HERMETIC_ENTROPY_BYTE; len as usize];
    if caller.data().profile == Profile::Permissive && getrandom::fill(&mut bytes).is_err() {
        return ERRNO_IO;
    }
    match memory.write(&mut caller, buf as u32, &bytes) {
        true => ERRNO_SUCCESS,
        false => ERRNO_FAULT,
    }
}
