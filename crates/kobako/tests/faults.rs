//! Fault injection on both sides of the boundary: services that panic,
//! block past the timeout or answer with huge values, and crafted guests
//! that hand the host's imports hostile pointers and lengths (E-01, E-05,
//! E-06, E-22, E-27, L-01, L-04, S-09).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kobako::{BlockError, Call, Error, ErrorKind, Fault, HostObject, Sandbox, Service, Value};

fn category(e: &Error) -> Option<String> {
    let details = e.guest_failure()?.details()?;
    Some(details.get(&Value::Str("type".into()))?.as_str()?.to_owned())
}

// ---------------------------------------------------------------------------
// Services that misbehave.

/// Panics on `boom` (with a message) and `boom_any` (with a non-string
/// payload), panics after yielding on `yield_then_boom`, and counts its
/// successful calls on `ok`.
#[derive(Default)]
struct Flaky {
    ok_calls: AtomicUsize,
}

impl Service for Flaky {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.method() {
            "boom" => panic!("secret host detail: /etc/kobako/key"),
            "boom_any" => std::panic::panic_any(42_u8),
            "yield_then_boom" => {
                let block = call.block().ok_or_else(|| Fault::argument("needs a block"))?;
                block.call(vec![Value::Int(1)]).map_err(Fault::from)?;
                panic!("after the yield");
            }
            "ok" => Ok(Value::Int(
                self.ok_calls.fetch_add(1, Ordering::SeqCst) as i64 + 1,
            )),
            other => Err(Fault::undefined(format!("Flaky has no {other}"))),
        }
    }
}

#[test]
fn e22_a_panicking_service_is_a_runtime_fault_and_poisons_nothing() {
    let mut builder = Sandbox::builder();
    let flaky = Arc::new(Flaky::default());
    builder.service_arc("S::Flaky", flaky.clone()).unwrap();
    let sandbox = builder.build().unwrap();

    for method in ["boom", "boom_any"] {
        let e = sandbox.eval(&format!("S::Flaky.{method}")).unwrap_err();
        assert!(e.kind() == ErrorKind::Service, "{method}: {e:?}");
        assert_eq!(category(&e).as_deref(), Some("runtime"), "{method}");
        let message = e.guest_failure().unwrap().message();
        assert!(message.contains("panicked"), "{method}: {message}");
        assert!(
            !message.contains("secret"),
            "S-08: no host text reaches the guest: {message}"
        );
        // The same service, in the next invocation, works.
        assert_eq!(sandbox.eval("S::Flaky.ok").unwrap().value(), &Value::Int(1));
        flaky.ok_calls.store(0, Ordering::SeqCst);
    }

    // In one invocation: the panic is rescued as a ServiceError and the same
    // service keeps answering.
    let run = sandbox
        .eval("r = begin; S::Flaky.boom; rescue Kobako::ServiceError => e; e.class.name; end; [r, S::Flaky.ok, S::Flaky.ok]")
        .unwrap();
    assert_eq!(
        run.value(),
        &Value::Array(vec![
            Value::Str("Kobako::ServiceError".into()),
            Value::Int(1),
            Value::Int(2)
        ])
    );

    // A panic after the service re-entered the guest through a yield: the
    // guest frames of the block are finished; the dispatch still ends cleanly.
    let run = sandbox
        .eval("seen = []; begin; S::Flaky.yield_then_boom { |x| seen << x }; rescue => e; seen << e.message; end; seen")
        .unwrap();
    let Value::Array(seen) = run.value() else {
        panic!("{run:?}")
    };
    assert_eq!(seen[0], Value::Int(1));
    assert!(seen[1].as_str().unwrap().contains("panicked"), "{seen:?}");
    assert_eq!(sandbox.eval("1 + 1").unwrap().value(), &Value::Int(2));
}

#[test]
fn e22_panics_on_two_threads_at_once_leave_the_sandbox_usable() {
    let mut builder = Sandbox::builder();
    builder.service("S::Flaky", Flaky::default()).unwrap();
    let sandbox = Arc::new(builder.build().unwrap());
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let sandbox = sandbox.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    assert!(sandbox.eval("S::Flaky.boom").unwrap_err().kind() == ErrorKind::Service);
                    assert!(sandbox.eval("S::Flaky.ok").is_ok());
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no panic escapes to the calling thread");
    }
}

/// Sleeps for the given time, then records that it finished.
struct Sleeper {
    nap: Duration,
    finished: AtomicUsize,
}

impl Service for Sleeper {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        std::thread::sleep(self.nap);
        self.finished.fetch_add(1, Ordering::SeqCst);
        Ok(Value::Int(1))
    }
}

/// L-01: the epoch interrupt only fires in guest code, so a service that
/// blocks past the deadline is never cut short. The guest stops at its first
/// execution point after the service returns, even when nothing but the
/// return path is left to run.
#[test]
fn l01_a_blocking_service_runs_to_the_end_then_the_invocation_times_out() {
    let timeout = Duration::from_millis(200);
    let nap = Duration::from_millis(700);
    let mut builder = Sandbox::builder().timeout(Some(timeout));
    let sleeper = Arc::new(Sleeper {
        nap,
        finished: AtomicUsize::new(0),
    });
    builder.service_arc("S::Slow", sleeper.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    for source in [
        "S::Slow.call; loop {}",
        "S::Slow.call",
        "begin; S::Slow.call; rescue Exception; :rescued; end",
    ] {
        let started = Instant::now();
        let e = sandbox.eval(source).unwrap_err();
        let elapsed = started.elapsed();
        assert!(e.kind() == ErrorKind::Timeout, "{source}: {e:?}");
        assert!(
            elapsed >= nap,
            "{source}: the service was interrupted after {elapsed:?}"
        );
        assert!(
            elapsed < nap + Duration::from_millis(500),
            "{source}: stopped only after {elapsed:?}"
        );
        assert!(
            e.output().unwrap().usage().wall_time >= nap,
            "B-35: wall_time includes the service"
        );
        println!("{source}: timeout {timeout:?}, service {nap:?}, ended after {elapsed:?}");
    }
    assert_eq!(
        sleeper.finished.load(Ordering::SeqCst),
        3,
        "every call ran to its end"
    );
    // Within the deadline, the same service is fine.
    let mut quick_builder = Sandbox::builder().timeout(Some(Duration::from_secs(5)));
    quick_builder.service_arc("S::Slow", sleeper).unwrap();
    let quick = quick_builder.build().unwrap();
    assert_eq!(quick.eval("S::Slow.call + 1").unwrap().value(), &Value::Int(2));
}

/// Yields to the guest and records what each block call returned.
#[derive(Default)]
struct Yielder {
    seen: Mutex<Vec<Result<Value, BlockError>>>,
}

impl Service for Yielder {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        let n = call.args().first().and_then(Value::as_int).unwrap_or(1);
        let block = call.block().ok_or_else(|| Fault::argument("needs a block"))?;
        for i in 0..n {
            let reply = block.call(vec![Value::Int(i)]);
            let stop = reply.is_err();
            self.seen.lock().unwrap().push(reply);
            if stop {
                break;
            }
        }
        Ok(Value::Nil)
    }
}

/// A block that runs past the deadline is stopped inside the yield; the
/// service learns it from `BlockError::Aborted` and the invocation is a
/// timeout (not a service error).
#[test]
fn l01_a_block_that_spins_is_stopped_inside_the_yield() {
    let mut builder = Sandbox::builder().timeout(Some(Duration::from_millis(150)));
    let yielder = Arc::new(Yielder::default());
    builder.service_arc("S::Each", yielder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let e = sandbox
        .eval("S::Each.call(3) { |i| loop {} if i == 1; i }")
        .unwrap_err();
    assert!(e.kind() == ErrorKind::Timeout, "{e:?}");
    let seen = std::mem::take(&mut *yielder.seen.lock().unwrap());
    assert_eq!(seen, vec![Ok(Value::Int(0)), Err(BlockError::Aborted)]);
}

/// Returns a String of `n` bytes.
struct Big;

impl Service for Big {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        match call.args() {
            [Value::Int(n)] => Ok(Value::Str("x".repeat(*n as usize))),
            _ => Err(Fault::argument("Big.call(n)")),
        }
    }
}

/// L-04: a 15 MiB reply fits the message limit. With the default 1 MiB
/// memory cap the guest cannot take it (E-05); with room, it arrives whole.
/// The reply `[0, str32]` has 7 bytes of framing, so 16 MiB - 7 bytes of
/// text is the largest String that crosses, and one more byte is a runtime
/// fault the guest can rescue (E-27).
#[test]
fn l04_e05_e27_a_15_mib_reply_and_the_exact_message_limit() {
    const MIB: i64 = 1 << 20;
    let mut small_builder = Sandbox::builder();
    small_builder.service("S::Big", Big).unwrap();
    let small = small_builder.build().unwrap();
    let e = small.eval(&format!("S::Big.call({})", 15 * MIB)).unwrap_err();
    assert!(e.kind() == ErrorKind::MemoryLimit, "{e:?}");
    assert_eq!(small.eval("1 + 1").unwrap().value(), &Value::Int(2));

    let mut roomy_builder = Sandbox::builder().memory_limit(Some(64 << 20));
    roomy_builder.service("S::Big", Big).unwrap();
    let roomy = roomy_builder.build().unwrap();
    let size = |n: i64| roomy.eval(&format!("S::Big.call({n}).size"));
    assert_eq!(size(15 * MIB).unwrap().value(), &Value::Int(15 * MIB));
    assert_eq!(size(16 * MIB - 7).unwrap().value(), &Value::Int(16 * MIB - 7));
    let e = size(16 * MIB - 6).unwrap_err();
    assert_eq!(category(&e).as_deref(), Some("runtime"), "{e:?}");
    assert!(e.guest_failure().unwrap().message().contains("16 MiB"), "{e}");
}

// ---------------------------------------------------------------------------
// Crafted guests: WebAssembly modules that speak ABI version 1 but call the
// host's imports with hostile arguments.

/// The errno values the WASI imports return.
const EBADF: i64 = 8;
const EFAULT: i64 = 21;
const EINVAL: i64 = 28;

/// Builds a module whose `kobako_eval` runs `eval` (instructions leaving one
/// i32, reported as the invocation's value; keep it below 128) and whose
/// `kobako_alloc` runs `alloc` after counting its calls in `$n` (the
/// default is a bump allocator). `yield_body` is the `kobako_yield` export,
/// if any; `data` is placed at address 1024.
fn crafted(eval: &str, alloc: Option<&str>, yield_body: Option<&str>, data: &str) -> Vec<u8> {
    const BUMP: &str = "global.get $heap  global.get $heap local.get $len i32.add global.set $heap";
    let yield_export = yield_body
        .map(|body| format!(r#"(func (export "kobako_yield") (param i32 i32) (result i64) {body})"#))
        .unwrap_or_default();
    let wat = format!(
        r#"(module
            (import "kobako" "dispatch" (func $dispatch (param i32 i32) (result i64)))
            (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
            (memory (export "memory") 2)
            (global $heap (mut i32) (i32.const 8192))
            (global $n (mut i32) (i32.const 0))
            (data (i32.const 512) "\92\00\00")
            (data (i32.const 1024) "{data}")
            (func (export "kobako_abi_version") (result i32) i32.const 1)
            (func $alloc (export "kobako_alloc") (param $len i32) (result i32)
                global.get $n i32.const 1 i32.add global.set $n
                {alloc})
            (func (export "kobako_eval") (param i32 i32)
                i32.const 514
                {eval}
                i32.store8)
            {yield_export}
            (func (export "kobako_take_outcome") (result i64) i64.const {outcome}))"#,
        alloc = alloc.unwrap_or(BUMP),
        outcome = (512u64 << 32) | 3,
    );
    wat::parse_str(wat).expect("crafted guest WAT parses")
}

/// A Sandbox running a crafted guest, with `S::Echo` (returns its first
/// argument) and `S::Each` (a [`Yielder`]) bound.
fn crafted_sandbox(guest: Vec<u8>) -> (Sandbox, Arc<AtomicUsize>, Arc<Yielder>) {
    let mut builder = Sandbox::builder()
        .guest_wasm_bytes(guest)
        .timeout(Some(Duration::from_millis(300)))
        .stdout_limit(Some(16));
    let echoes = Arc::new(AtomicUsize::new(0));
    let counter = echoes.clone();
    builder
        .service_fn("S::Echo", move |v: i64| {
            counter.fetch_add(1, Ordering::SeqCst);
            v
        })
        .unwrap();
    let yielder = Arc::new(Yielder::default());
    builder.service_arc("S::Each", yielder.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    (sandbox, echoes, yielder)
}

/// Runs `eval` twice on a crafted guest (each invocation is a fresh
/// instance, so both must end the same way) and returns the first result.
fn run_crafted(eval: &str, data: &str) -> Result<kobako::Execution, Error> {
    let (sandbox, _, _) = crafted_sandbox(crafted(eval, None, None, data));
    let first = sandbox.eval("");
    let second = sandbox.eval("");
    let describe = |r: &Result<kobako::Execution, Error>| match r {
        Ok(run) => format!("{:?} {:?}", run.value(), run.output().stdout()),
        Err(e) => e.to_string(),
    };
    assert_eq!(describe(&first), describe(&second), "{eval}");
    first
}

fn errno_of(eval: &str, data: &str) -> i64 {
    match run_crafted(eval, data) {
        Ok(run) => run.value().as_int().expect("an errno"),
        Err(e) => panic!("{eval}: {e:?}"),
    }
}

/// `[0, n]`-style iovec: `ptr`, `len` as little-endian bytes for a data string.
fn iovec(ptr: u32, len: u32) -> String {
    ptr.to_le_bytes()
        .iter()
        .chain(len.to_le_bytes().iter())
        .map(|b| format!("\\{b:02x}"))
        .collect()
}

#[test]
fn e06_fd_write_refuses_hostile_iovecs_without_touching_the_capture() {
    let call = |fd: i32, iovs: u32, n: u32, out: u32| {
        format!("(call $fd_write (i32.const {fd}) (i32.const {iovs}) (i32.const {n}) (i32.const {out}))")
    };
    let hello = "hello".bytes().map(|b| format!("\\{b:02x}")).collect::<String>();
    // An iovec table past the end of memory, and one whose end wraps u32.
    assert_eq!(errno_of(&call(1, 0xffff_0000, 1, 256), ""), EFAULT);
    assert_eq!(errno_of(&call(1, 0xffff_fffc, 2, 256), ""), EFAULT);
    // More iovecs than the host accepts in one call.
    assert_eq!(errno_of(&call(1, 1024, 100_000, 256), ""), EINVAL);
    // An iovec whose buffer is out of bounds, or whose length wraps.
    assert_eq!(errno_of(&call(1, 1024, 1, 256), &iovec(0xffff_ff00, 16)), EFAULT);
    assert_eq!(errno_of(&call(1, 1024, 1, 256), &iovec(100, u32::MAX)), EFAULT);
    // Other descriptors do not exist.
    for fd in [0, 3, -1] {
        assert_eq!(
            errno_of(&call(fd, 1024, 1, 256), &iovec(1032, 5)),
            EBADF,
            "fd {fd}"
        );
    }
    // A good iovec: its bytes are captured.
    let data = format!("{}{hello}", iovec(1032, 5));
    let run = run_crafted(&call(1, 1024, 1, 256), &data).unwrap();
    assert_eq!(
        (run.value(), run.output().stdout()),
        (&Value::Int(0), &b"hello"[..])
    );
    // The count written over the iovec table itself (overlap) is fine.
    let run = run_crafted(&call(1, 1024, 1, 1024), &data).unwrap();
    assert_eq!(
        (run.value(), run.output().stdout()),
        (&Value::Int(0), &b"hello"[..])
    );
    // A bad first iovec keeps nothing from the call; a bad count pointer
    // after good iovecs reports EFAULT, though the bytes were captured.
    let data = format!("{}{}", iovec(0xffff_ff00, 4), iovec(1040, 5));
    let run = run_crafted(&call(1, 1024, 2, 256), &data).unwrap();
    assert_eq!(
        (run.value(), run.output().stdout()),
        (&Value::Int(EFAULT), &b""[..])
    );
    let data = format!("{}{hello}", iovec(1032, 5));
    let run = run_crafted(&call(1, 1024, 1, 0xffff_fff0), &data).unwrap();
    assert_eq!(
        (run.value(), run.output().stdout()),
        (&Value::Int(EFAULT), &b"hello"[..])
    );
    // A length far past the stdout cap: nothing past the cap is kept.
    let data = format!("{}{}", iovec(0, 65_536), iovec(0, 65_536));
    let run = run_crafted(&call(1, 1024, 2, 256), &data).unwrap();
    assert_eq!(run.output().stdout().len(), 16);
    assert!(run.output().stdout_truncated());
}

#[test]
fn e06_clock_and_entropy_imports_refuse_hostile_pointers() {
    assert_eq!(
        errno_of("(call $random_get (i32.const 0xfffffff0) (i32.const 32))", ""),
        EFAULT
    );
    assert_eq!(
        errno_of("(call $random_get (i32.const 1024) (i32.const 0x10001))", ""),
        EINVAL
    );
    assert_eq!(
        errno_of("(call $random_get (i32.const 1024) (i32.const -1))", ""),
        EINVAL
    );
    assert_eq!(
        errno_of("(call $random_get (i32.const 1024) (i32.const 65536))", ""),
        0
    );
    assert_eq!(
        errno_of(
            "(call $clock_time_get (i32.const 99) (i64.const 0) (i32.const 1024))",
            ""
        ),
        EINVAL
    );
    assert_eq!(
        errno_of(
            "(call $clock_time_get (i32.const 0) (i64.const 0) (i32.const 0x1fffc))",
            ""
        ),
        EFAULT
    );
    assert_eq!(
        errno_of(
            "(call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 0x1fff8))",
            ""
        ),
        0
    );
}

#[test]
fn e01_proc_exit_is_a_trap_not_an_exit() {
    let e = run_crafted("(call $proc_exit (i32.const 3)) i32.const 0", "").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap, "{e:?}");
    assert!(e.to_string().contains("proc_exit(3)"), "{e}");
}

/// `[target, method, args, kwargs, has_block]` for `S::Echo.call(7)` and
/// `S::Each.call(2) { }`, as WAT data strings (18 bytes each).
const ECHO_CALL: &str = "\\95\\a7S::Echo\\a4call\\91\\07\\80\\c2";
const EACH_CALL: &str = "\\95\\a7S::Each\\a4call\\91\\02\\80\\c3";

fn dispatch(ptr: u32, len: u32) -> String {
    format!("(i32.wrap_i64 (call $dispatch (i32.const {ptr}) (i32.const {len}))) i32.const 0 i32.mul")
}

fn assert_wire_violation(result: Result<kobako::Execution, Error>, needle: &str) {
    let e = result.unwrap_err();
    assert!(e.kind() == ErrorKind::Trap, "{e:?}");
    assert!(e.to_string().contains("wire violation"), "{e}");
    assert!(e.to_string().contains(needle), "{needle}: {e}");
}

#[test]
fn e06_dispatch_refuses_out_of_bounds_huge_and_empty_calls() {
    // The well-formed call works, as a baseline.
    let (sandbox, echoes, _) = crafted_sandbox(crafted(&dispatch(1024, 18), None, None, ECHO_CALL));
    assert_eq!(sandbox.eval("").unwrap().value(), &Value::Int(0));
    assert_eq!(echoes.load(Ordering::SeqCst), 1);

    for (ptr, len, needle) in [
        (0x1_fff0, 18, "out of bounds"),        // runs off the end of memory
        (0xffff_fff0, 0x20, "out of bounds"),   // the end wraps u32
        (1024, 16 * 1024 * 1024 + 1, "16 MiB"), // over the message limit
        (1024, u32::MAX, "16 MiB"),
        (1024, 0, "bad call"),  // nothing to decode
        (1024, 17, "bad call"), // truncated
    ] {
        let (sandbox, echoes, _) = crafted_sandbox(crafted(&dispatch(ptr, len), None, None, ECHO_CALL));
        assert_wire_violation(sandbox.eval(""), needle);
        assert_eq!(echoes.load(Ordering::SeqCst), 0, "{ptr:#x}+{len}: no service ran");
    }
}

#[test]
fn e06_a_reply_buffer_the_guest_cannot_provide_is_a_wire_violation() {
    // kobako_alloc answers the host's request buffer normally (call 1), then
    // misbehaves when the host needs room for the reply (call 2).
    let misbehave = |then: &str| {
        format!(
            "global.get $n i32.const 1 i32.eq
             if (result i32) global.get $heap global.get $heap local.get $len i32.add global.set $heap
             else {then} end"
        )
    };
    for (then, needle) in [
        ("i32.const 0", "could not take"),
        ("i32.const 0xffffff00", "could not take"),
        ("i32.const 0x1fffe", "could not take"), // starts inside, ends outside
    ] {
        let guest = crafted(&dispatch(1024, 18), Some(&misbehave(then)), None, ECHO_CALL);
        let (sandbox, echoes, _) = crafted_sandbox(guest);
        assert_wire_violation(sandbox.eval(""), needle);
        assert_eq!(
            echoes.load(Ordering::SeqCst),
            1,
            "the service ran; its reply had nowhere to go"
        );
    }
    // The reply may overwrite the request it answers: the host copied it.
    let guest = crafted(
        &dispatch(1024, 18),
        Some(&misbehave("i32.const 1024")),
        None,
        ECHO_CALL,
    );
    let (sandbox, echoes, _) = crafted_sandbox(guest);
    assert_eq!(sandbox.eval("").unwrap().value(), &Value::Int(0));
    assert_eq!(echoes.load(Ordering::SeqCst), 1);
}

#[test]
fn e01_e04_e05_a_hostile_allocator_is_stopped_by_the_caps() {
    let on_reply = |then: &str| {
        format!(
            "global.get $n i32.const 1 i32.eq
             if (result i32) global.get $heap global.get $heap local.get $len i32.add global.set $heap
             else {then} end"
        )
    };
    // It spins while the host waits for the reply buffer.
    let guest = crafted(
        &dispatch(1024, 18),
        Some(&on_reply("(loop br 0) i32.const 0")),
        None,
        ECHO_CALL,
    );
    let (sandbox, _, _) = crafted_sandbox(guest);
    assert!(sandbox.eval("").unwrap_err().kind() == ErrorKind::Timeout);
    // It grows memory past the cap.
    let grow = "(drop (memory.grow (i32.const 1000))) i32.const 8192";
    let guest = crafted(&dispatch(1024, 18), Some(&on_reply(grow)), None, ECHO_CALL);
    let (sandbox, _, _) = crafted_sandbox(guest);
    assert!(sandbox.eval("").unwrap_err().kind() == ErrorKind::MemoryLimit);
    // It re-enters the host: every reply buffer request dispatches again,
    // until the engine's stack runs out. The host process survives.
    let reenter = "(drop (call $dispatch (i32.const 1024) (i32.const 18))) i32.const 8192";
    let guest = crafted(&dispatch(1024, 18), Some(&on_reply(reenter)), None, ECHO_CALL);
    let (sandbox, echoes, _) = crafted_sandbox(guest);
    let e = sandbox.eval("").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap, "{e:?}");
    assert!(echoes.load(Ordering::SeqCst) > 10, "it recursed");
    assert!(
        sandbox.eval("").unwrap_err().kind() == ErrorKind::Trap,
        "and again, from a clean state"
    );
}

#[test]
fn e06_e01_a_hostile_kobako_yield_is_contained() {
    let with_yield = |body: &str, data: &str| {
        let (sandbox, _, yielder) = crafted_sandbox(crafted(&dispatch(1024, 18), None, Some(body), data));
        let result = sandbox.eval("");
        let seen = std::mem::take(&mut *yielder.seen.lock().unwrap());
        (result, seen)
    };
    // A well-behaved block reply [0, 5] at 1100, as a baseline.
    let data = format!("{EACH_CALL}{}\\92\\00\\05", "\\00".repeat(1100 - 1024 - 18));
    let (result, seen) = with_yield(&format!("i64.const {}", (1100u64 << 32) | 3), &data);
    assert_eq!(result.unwrap().value(), &Value::Int(0));
    assert_eq!(seen, vec![Ok(Value::Int(5)), Ok(Value::Int(5))]);

    // A reply pointer out of bounds, an oversized one, a malformed one.
    for (body, needle) in [
        (
            format!("i64.const {}", (0xffff_ff00u64 << 32) | 3),
            "out of bounds",
        ),
        (format!("i64.const {}", (1100u64 << 32) | (17 << 20)), "16 MiB"),
        (format!("i64.const {}", (1024u64 << 32) | 3), "bad block reply"),
    ] {
        let (result, seen) = with_yield(&body, &data);
        assert_wire_violation(result, needle);
        assert_eq!(seen, vec![Err(BlockError::Aborted)], "{body}");
    }
    // A yield that traps, or spins: the service is told the guest is gone.
    let (result, seen) = with_yield("unreachable", &data);
    assert!(result.unwrap_err().kind() == ErrorKind::Trap);
    assert_eq!(seen, vec![Err(BlockError::Aborted)]);
    let (result, seen) = with_yield("(loop br 0) i64.const 0", &data);
    assert!(result.unwrap_err().kind() == ErrorKind::Timeout);
    assert_eq!(seen, vec![Err(BlockError::Aborted)]);
    // A yield that dispatches the same yielding call again, forever.
    let (result, seen) = with_yield("(call $dispatch (i32.const 1024) (i32.const 18))", &data);
    assert!(result.unwrap_err().is_trap());
    assert!(seen.iter().all(|r| r == &Err(BlockError::Aborted)), "{seen:?}");
}

#[test]
fn e06_a_guest_without_kobako_yield_cannot_take_a_block() {
    let (sandbox, _, yielder) = crafted_sandbox(crafted(&dispatch(1024, 18), None, None, EACH_CALL));
    let e = sandbox.eval("").unwrap_err();
    assert!(e.kind() == ErrorKind::Trap, "{e:?}");
    assert!(e.to_string().contains("wire violation"), "{e}");
    assert!(
        e.to_string().contains("kobako_yield"),
        "the message names the export: {e}"
    );
    assert_eq!(*yielder.seen.lock().unwrap(), vec![Err(BlockError::Aborted)]);
}

/// A Handle id the host never issued, presented by a crafted call (S-04):
/// `undefined`, and no object is reached. Ids outside 1..=0x7fff_ffff are a
/// wire violation.
#[test]
fn s04_e24_e06_raw_handle_ids() {
    let call = |id: u32| {
        let id: String = id.to_be_bytes().iter().map(|b| format!("\\{b:02x}")).collect();
        format!("\\95\\d6\\01{id}\\a4incr\\90\\80\\c2")
    };
    for id in [1, 2, 0x7fff_ffff] {
        let (sandbox, echoes, _) = crafted_sandbox(crafted(&dispatch(1024, 15), None, None, &call(id)));
        assert_eq!(sandbox.eval("").unwrap().value(), &Value::Int(0), "id {id}");
        assert_eq!(echoes.load(Ordering::SeqCst), 0);
    }
    for id in [0, 0x8000_0000, u32::MAX] {
        let (sandbox, _, _) = crafted_sandbox(crafted(&dispatch(1024, 15), None, None, &call(id)));
        assert_wire_violation(sandbox.eval(""), "bad call");
    }
}

/// A crafted guest that answers every invocation but reports an outcome
/// pointer chosen by the guest: none of them may reach host memory.
#[test]
fn e06_outcome_pointers_stay_inside_guest_memory() {
    for packed in [
        (0xffff_fff0u64 << 32) | 0x20,
        (0x1_fff0u64 << 32) | 0x20,
        u64::MAX,
        (1u64 << 32) | ((16 << 20) + 1),
    ] {
        let wat = format!(
            r#"(module (memory (export "memory") 2)
                (func (export "kobako_abi_version") (result i32) i32.const 1)
                (func (export "kobako_alloc") (param i32) (result i32) i32.const 4096)
                (func (export "kobako_eval") (param i32 i32))
                (func (export "kobako_take_outcome") (result i64) i64.const {}))"#,
            packed as i64
        );
        let sandbox = Sandbox::builder()
            .guest_wasm_bytes(wat::parse_str(wat).unwrap())
            .build()
            .unwrap();
        let e = sandbox.eval("").unwrap_err();
        assert!(e.to_string().contains("wire violation"), "{packed:#x}: {e}");
    }
}

/// Nothing from a trapped crafted guest leaks into a healthy Sandbox in the
/// same process.
#[test]
fn s09_after_all_this_a_normal_sandbox_is_unaffected() {
    let hostile = crafted_sandbox(crafted("unreachable", None, None, "")).0;
    assert!(hostile.eval("").unwrap_err().is_trap());
    let touched = Arc::new(AtomicBool::new(false));
    let flag = touched.clone();
    let mut builder = Sandbox::builder();
    builder
        .service_fn("S::Touch", move || flag.store(true, Ordering::SeqCst))
        .unwrap();
    let normal = builder.build().unwrap();
    assert_eq!(
        normal.eval("S::Touch.call; 6 * 7").unwrap().value(),
        &Value::Int(42)
    );
    assert!(touched.load(Ordering::SeqCst));
}

/// Hands out the same host object every time, counting the calls.
struct Same {
    object: HostObject,
    calls: AtomicUsize,
}

impl Service for Same {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        Ok(Value::Object(self.object.clone()))
    }
}

/// S-09, B-18: a script that asks for Handles in a loop until its timeout
/// makes the host keep one table entry per Handle (host memory that
/// `memory_limit` does not charge), but only until the invocation ends.
#[test]
fn s09_b18_handles_requested_in_a_loop_are_released_when_the_invocation_ends() {
    let target: Arc<dyn Service> = Arc::new(Flaky::default());
    let same = Arc::new(Same {
        object: HostObject::from_arc(target.clone()),
        calls: AtomicUsize::new(0),
    });
    let mut builder = Sandbox::builder().timeout(Some(Duration::from_millis(500)));
    builder.service_arc("S::Same", same.clone()).unwrap();
    let sandbox = builder.build().unwrap();
    let e = sandbox.eval("loop { S::Same.get }").unwrap_err();
    assert!(e.kind() == ErrorKind::Timeout, "{e:?}");
    let issued = same.calls.load(Ordering::Relaxed);
    assert!(issued > 1_000, "only {issued} Handles were issued");
    assert_eq!(
        Arc::strong_count(&target),
        2,
        "after {issued} Handles, only the test and the service hold the object"
    );
    println!("{issued} Handles issued in 500 ms, all released at the end of the invocation");
}

/// S-09, E-17: a byte of preloaded bytecode replaced by a value that is no
/// instruction (including the two the interpreter keeps for re-entry after
/// an exception) ends in a documented outcome, and where the byte was an
/// opcode, in a rescuable ScriptError "invalid instruction".
#[test]
fn s09_e17_bytecode_with_invalid_instructions_raises_script_error() {
    let bytecode = Sandbox::new()
        .unwrap()
        .compile("Small", "def small = [1, 2].map { |x| x * 3 }")
        .unwrap();
    let mut invalid = std::collections::BTreeMap::<u8, usize>::new();
    for at in 0..bytecode.len() {
        for byte in [0xc8u8, 0xfe, 0xff] {
            let mut mutated = bytecode.clone();
            mutated[at] = byte;
            let mut builder = Sandbox::builder().timeout(Some(Duration::from_millis(200)));
            builder.preload_bytecode(mutated).unwrap();
            let outcome = builder.build().and_then(|sandbox| {
                sandbox.eval("begin; small; rescue ScriptError => e; \"#{e.class}: #{e.message}\"; end")
            });
            match outcome.map(|run| run.into_value()) {
                Ok(Value::Str(text)) if text == "ScriptError: invalid instruction" => {
                    *invalid.entry(byte).or_default() += 1;
                }
                Ok(_) => {}
                Err(e) if e.is_trap() || e.is_sandbox_error() || e.is_setup_error() => {}
                Err(e) => panic!("byte {at} set to {byte:#x}: not an invocation outcome: {e:?}"),
            }
        }
    }
    for byte in [0xc8u8, 0xfe, 0xff] {
        assert!(
            invalid.get(&byte).copied().unwrap_or(0) > 0,
            "no opcode set to {byte:#x} raised ScriptError: {invalid:?}"
        );
    }
}

/// S-09, E-17: preloaded bytecode with corrupted bytes (mruby does not
/// verify bytecode) ends every invocation in a documented outcome.
#[test]
fn s09_e17_corrupted_bytecode_never_harms_the_host() {
    let source = "def fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2)\nV = [fib(10), 'text', :sym, {a: [1.5]}]";
    let bytecode = Sandbox::new().unwrap().compile("Corpus", source).unwrap();
    let mut seed: u64 = 0x4b4f_4241_4b4f;
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for round in 0..120 {
        let mut mutated = bytecode.clone();
        for _ in 0..1 + round % 4 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let at = (seed >> 33) as usize % mutated.len();
            mutated[at] ^= 1 << ((seed >> 29) % 8);
        }
        let mut builder = Sandbox::builder().timeout(Some(Duration::from_millis(200)));
        builder.preload_bytecode(mutated).unwrap();
        let sandbox = builder.build().unwrap();
        let first = sandbox.eval("V rescue nil");
        let kind = match &first {
            Ok(_) => "ok".to_owned(),
            Err(e) if e.is_trap() || e.is_sandbox_error() || e.kind() == ErrorKind::Service => match e.kind()
            {
                ErrorKind::Bytecode => "bytecode".into(),
                ErrorKind::Sandbox => "sandbox".into(),
                ErrorKind::Timeout => "timeout".into(),
                ErrorKind::MemoryLimit => "memory_limit".into(),
                _ => "trap".into(),
            },
            Err(e) => panic!("round {round}: not an invocation outcome: {e:?}"),
        };
        *outcomes.entry(kind).or_default() += 1;
        // Later outcomes repeat: nothing carries over from one invocation to
        // the next. (The first may differ: it bakes the snippet, and corrupt
        // bytecode can read memory whose layout differs between the bake and
        // a replay.)
        let second = sandbox.eval("V rescue nil");
        let third = sandbox.eval("V rescue nil");
        assert_eq!(
            second.is_ok(),
            third.is_ok(),
            "round {round}: {second:?} then {third:?}"
        );
    }
    println!("corrupted bytecode outcomes: {outcomes:?}");
    assert!(outcomes.get("bytecode").copied().unwrap_or(0) > 0, "{outcomes:?}");
}
