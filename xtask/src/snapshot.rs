//! Pre-initialises the raw guest with wasmtime-wizer: runs `kobako_initialize`
//! once (mruby opened, runtime loaded) and freezes the resulting memory into
//! the module's data segments.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use wasmtime::{Caller, Config, Engine, Linker, Store};
use wasmtime_wizer::Wizer;

const WASI: &str = "wasi_snapshot_preview1";
const ERRNO_BADF: i32 = 8;

pub fn preinitialize(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut config = Config::new();
    config.wasm_exceptions(true);
    let engine = Engine::new(&config).map_err(|e| format!("cannot create the snapshot engine: {e}"))?;
    let mut store = Store::new(&engine, ());
    let linker = build_time_imports(&engine)?;

    let mut wizer = Wizer::new();
    wizer.init_func("kobako_initialize");
    let run = wizer.run(&mut store, raw, async |store, module| {
        linker.instantiate_async(store, module).await
    });
    block_on(run).map_err(|e| format!("cannot pre-initialise the guest: {e:?}"))
}

/// The imports as the build sees them (no services, no files): a clock stopped at the epoch
/// (so the snapshot never depends on when it was taken) and no files.
fn build_time_imports(engine: &Engine) -> Result<Linker<()>, String> {
    let mut linker = Linker::new(engine);
    let wrap = |e: wasmtime::Error| format!("cannot define a build-time import: {e}");
    linker
        .func_wrap(
            WASI,
            "clock_time_get",
            |mut caller: Caller<'_, ()>, _id: i32, _precision: i64, out: i32| {
                let memory = caller.get_export("memory").and_then(|e| e.into_memory());
                match memory.map(|m| m.write(&mut caller, out as u32 as usize, &0u64.to_le_bytes())) {
                    Some(Ok(())) => 0,
                    _ => ERRNO_BADF,
                }
            },
        )
        .map_err(wrap)?;
    linker
        .func_wrap(WASI, "fd_close", |_fd: i32| ERRNO_BADF)
        .map_err(wrap)?;
    linker
        .func_wrap(
            "kobako",
            "dispatch",
            |_call: i32, _len: i32| -> wasmtime::Result<i64> {
                Err(wasmtime::Error::msg(
                    "the guest called a service during initialisation",
                ))
            },
        )
        .map_err(wrap)?;
    linker
        .func_wrap(WASI, "random_get", |_buf: i32, _len: i32| ERRNO_BADF)
        .map_err(wrap)?;
    linker
        .func_wrap(
            WASI,
            "fd_seek",
            |_fd: i32, _offset: i64, _whence: i32, _out: i32| ERRNO_BADF,
        )
        .map_err(wrap)?;
    linker
        .func_wrap(
            WASI,
            "fd_write",
            |mut caller: Caller<'_, ()>, fd: i32, iovs: i32, len: i32, out: i32| {
                // What the guest writes to fd 2 while it initialises (why the
                // prelude failed) goes to the build's stderr; fd 1 has no reader.
                let Some(memory) = caller.get_export("memory").and_then(|e| e.into_memory()) else {
                    return ERRNO_BADF;
                };
                let mut written = 0u32;
                for i in 0..len.max(0) as usize {
                    let mut iov = [0u8; 8];
                    if memory
                        .read(&caller, iovs as u32 as usize + i * 8, &mut iov)
                        .is_err()
                    {
                        return ERRNO_BADF;
                    }
                    let base = u32::from_le_bytes([iov[0], iov[1], iov[2], iov[3]]) as usize;
                    let size = u32::from_le_bytes([iov[4], iov[5], iov[6], iov[7]]) as usize;
                    let mut bytes = vec![0u8; size];
                    if memory.read(&caller, base, &mut bytes).is_err() {
                        return ERRNO_BADF;
                    }
                    if fd == 2 {
                        eprintln!("guest: {}", String::from_utf8_lossy(&bytes));
                    }
                    written += size as u32;
                }
                match memory.write(&mut caller, out as u32 as usize, &written.to_le_bytes()) {
                    Ok(()) => 0,
                    Err(_) => ERRNO_BADF,
                }
            },
        )
        .map_err(wrap)?;
    linker
        .func_wrap(WASI, "proc_exit", |code: i32| -> wasmtime::Result<()> {
            Err(wasmtime::Error::msg(format!(
                "guest exited with {code} during initialisation"
            )))
        })
        .map_err(wrap)?;
    Ok(linker)
}

/// Drives a future that never waits on I/O (wizer's API is async only).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        std::thread::yield_now();
    }
}
