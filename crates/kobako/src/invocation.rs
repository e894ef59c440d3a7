//! One invocation: a fresh instance of the guest image in its own store,
//! with its own captures, memory budget and deadline. Everything here dies
//! when the invocation ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use wasmtime::{Engine, Instance, Store, TypedFunc, UpdateDeadline};

use crate::baked_state::BakedState;
use crate::engine::ensure_ticker;
use crate::error::{Error, GuestFailure, Origin, TrapFailure};
use crate::execution::{Execution, Output, Usage};
use crate::guest_image::GuestImage;
use crate::guest_memory::GuestMemory;
use crate::handle_table::HandleTable;
use crate::host_imports::GuestExited;
use crate::interrupt::Interrupt;
use crate::memory_guard::{MemoryGuard, MemoryLimitExceeded};
use crate::output_capture::OutputCapture;
use crate::registry::Registry;
use crate::sandbox::Profile;
use crate::value::Value;
use crate::wire::{EncodeError, FailureRecord, MESSAGE_MAX, Outcome, OutcomeError, Writer, parse_outcome};

/// The caps of one invocation, copied from the Sandbox's options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) timeout: Option<Duration>,
    pub(crate) memory_limit: Option<u64>,
    pub(crate) stdout_limit: Option<usize>,
    pub(crate) stderr_limit: Option<usize>,
    pub(crate) profile: Profile,
    /// First Capability Handle id (1; tests start near the cap).
    pub(crate) first_handle_id: u32,
}

impl Limits {
    /// Caps for the one-off instance that checks a guest's interface.
    pub(crate) const INTERFACE_CHECK: Limits = Limits {
        timeout: Some(Duration::from_secs(5)),
        memory_limit: Some(16 << 20),
        stdout_limit: Some(0),
        stderr_limit: Some(0),
        profile: Profile::Hermetic,
        first_handle_id: 1,
    };
}

/// Why the host itself stopped the guest in the middle of an invocation.
#[derive(Debug)]
pub(crate) enum Abort {
    /// No Handle ids are left (E-12).
    HandlesExhausted,
    /// The guest sent something the host cannot accept (E-06).
    WireViolation(String),
    /// A snippet's top level called out while the sandbox was being
    /// prepared, so its state cannot be baked.
    CalledOutWhileBaking,
}

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Abort::HandlesExhausted => {
                f.write_str("the invocation ran out of Capability Handle ids (at most 2147483647)")
            }
            Abort::WireViolation(why) => write!(f, "wire violation: {why}"),
            Abort::CalledOutWhileBaking => {
                f.write_str("a snippet called a service while the sandbox was prepared")
            }
        }
    }
}

/// Why the host stopped the guest, recorded by the callback that did it.
#[derive(Debug)]
struct TimeoutElapsed(Duration);

impl std::fmt::Display for TimeoutElapsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "timeout: the invocation ran longer than {:?}", self.0)
    }
}

impl std::error::Error for TimeoutElapsed {}

/// The host raised the invocation's [`Interrupt`].
#[derive(Debug)]
struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted: the host stopped the invocation")
    }
}

impl std::error::Error for Interrupted {}

/// The store data of one invocation.
pub(crate) struct InvocationState {
    pub(crate) memory: MemoryGuard,
    pub(crate) stdout: OutputCapture,
    pub(crate) stderr: OutputCapture,
    pub(crate) profile: Profile,
    pub(crate) started: Instant,
    pub(crate) registry: Arc<Registry>,
    pub(crate) handles: HandleTable,
    pub(crate) abort: Option<Abort>,
    /// True while the first invocation bakes the snippets: no call may
    /// leave the guest then.
    pub(crate) baking: bool,
    /// The instance's exports, once it is instantiated.
    pub(crate) exports: Option<GuestExports>,
    deadline: Option<(Instant, Duration)>,
    timed_out: bool,
    /// The flag that stops this invocation early, when the host gave one.
    interrupt: Option<Interrupt>,
    interrupted: bool,
}

/// A store for one invocation with every cap installed.
pub(crate) fn new_store(
    engine: &Engine,
    limits: &Limits,
    registry: Arc<Registry>,
) -> Result<Store<InvocationState>, Error> {
    ensure_ticker(engine)?;
    let started = Instant::now();
    let state = InvocationState {
        memory: MemoryGuard::new(limits.memory_limit),
        stdout: OutputCapture::new(limits.stdout_limit),
        stderr: OutputCapture::new(limits.stderr_limit),
        profile: limits.profile,
        started,
        registry,
        handles: HandleTable::new(limits.first_handle_id),
        abort: None,
        baking: false,
        exports: None,
        deadline: limits.timeout.map(|t| (started + t, t)),
        timed_out: false,
        interrupt: None,
        interrupted: false,
    };
    let mut store = Store::new(engine, state);
    store.limiter(|state| &mut state.memory);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(|mut ctx| {
        let state = ctx.data_mut();
        if state.interrupt.as_ref().is_some_and(Interrupt::is_interrupted) {
            state.interrupted = true;
            return Err(wasmtime::Error::new(Interrupted));
        }
        match state.deadline {
            Some((at, timeout)) if Instant::now() >= at => {
                state.timed_out = true;
                Err(wasmtime::Error::new(TimeoutElapsed(timeout)))
            }
            _ => Ok(UpdateDeadline::Continue(1)),
        }
    });
    Ok(store)
}

/// The guest exports the host calls, resolved once per instance and kept in
/// the store so host imports need no lookup by name.
#[derive(Clone)]
pub(crate) struct GuestExports {
    pub(crate) abi_version: TypedFunc<(), i32>,
    pub(crate) alloc: TypedFunc<u32, u32>,
    take_outcome: TypedFunc<(), u64>,
    pub(crate) memory: GuestMemory,
    /// Runs a service's block; a guest without it cannot take blocks.
    pub(crate) yield_block: Option<TypedFunc<(u32, u32), u64>>,
}

impl GuestExports {
    pub(crate) fn resolve(instance: &Instance, store: &mut Store<InvocationState>) -> wasmtime::Result<Self> {
        Ok(GuestExports {
            abi_version: instance.get_typed_func(&mut *store, "kobako_abi_version")?,
            alloc: instance.get_typed_func(&mut *store, "kobako_alloc")?,
            take_outcome: instance.get_typed_func(&mut *store, "kobako_take_outcome")?,
            memory: GuestMemory::of_instance(instance, &mut *store)
                .ok_or_else(|| wasmtime::Error::msg("missing export `memory`"))?,
            yield_block: instance.get_typed_func(&mut *store, "kobako_yield").ok(),
        })
    }
}

/// A failure detected while talking to the guest, before classification.
enum Stop {
    /// The engine trapped or a host callback aborted the guest.
    Engine(wasmtime::Error),
    /// The guest broke the wire protocol (E-06).
    WireViolation(String),
    /// The guest could not reserve memory for a request (not the cap).
    NoRoom(String),
}

impl From<wasmtime::Error> for Stop {
    fn from(e: wasmtime::Error) -> Self {
        Stop::Engine(e)
    }
}

/// What an invocation runs after replaying the snippets.
pub(crate) enum Entry<'a> {
    /// Source evaluated as "(eval)".
    Eval(&'a str),
    /// `Target.call(*args, kwargs)` on a top-level constant.
    Run {
        target: &'a str,
        args: &'a [Value],
        kwargs: &'a [(String, Value)],
    },
    /// Nothing: bind and replay only, to bake the result.
    Bake,
}

const REQUEST_EVAL: i64 = 0;
const REQUEST_RUN: i64 = 1;
const REQUEST_BAKE: i64 = 2;

/// Runs one invocation in a fresh instance and classifies the result. The
/// instance starts from `baked` when there is one; otherwise it binds the
/// services and replays the snippets itself.
pub(crate) fn invoke(
    image: &GuestImage,
    limits: &Limits,
    registry: Arc<Registry>,
    baked: Option<&BakedState>,
    entry: Entry<'_>,
    interrupt: Option<&Interrupt>,
) -> Result<Execution, Error> {
    let span = tracing::debug_span!("kobako.invoke", run = matches!(entry, Entry::Run { .. }));
    let _entered = span.enter();
    if let Some(problem) = &registry.bytecode_problem {
        let failure = host_failure(problem.clone(), "Kobako::BytecodeError", Output::default());
        return Err(Error::Bytecode(Box::new(failure)));
    }
    let mut store = new_store(image.pre.module().engine(), limits, registry.clone())?;
    store.data_mut().interrupt = interrupt.cloned();
    let request = encode_request(&registry, baked.is_none(), &entry, &mut store.data_mut().handles)?;
    let result = call_export(image, &mut store, "kobako_eval", &request, baked);
    let wall_time = store.data().started.elapsed();
    finish(store, wall_time, result.map(|(bytes, _)| bytes))
}

/// Binds the services and replays the snippets once, in a fresh instance,
/// and keeps the memory it leaves as the start of later invocations.
/// `Ok(None)` when the snippets cannot be baked because their top level
/// writes output or calls a service (each invocation then replays them);
/// an error is what replaying them fails with.
pub(crate) fn bake(
    image: &GuestImage,
    limits: &Limits,
    registry: Arc<Registry>,
    interrupt: Option<&Interrupt>,
) -> Result<Option<BakedState>, Error> {
    let engine = image.pre.module().engine();
    let mut store = new_store(engine, limits, registry.clone())?;
    store.data_mut().baking = true;
    store.data_mut().interrupt = interrupt.cloned();
    let request = encode_request(&registry, true, &Entry::Bake, &mut store.data_mut().handles)?;
    let result = call_export(image, &mut store, "kobako_eval", &request, None);
    let wall_time = store.data().started.elapsed();
    let state = store.data();
    let impure = matches!(state.abort, Some(Abort::CalledOutWhileBaking))
        || !state.stdout.is_untouched()
        || !state.stderr.is_untouched();
    if impure {
        return Ok(None);
    }
    let baked = match &result {
        Ok((_, memory)) => {
            let mut fresh = new_store(engine, limits, Arc::default())?;
            let instance = image
                .pre
                .instantiate(&mut fresh)
                .map_err(|e| Error::setup(format!("cannot instantiate the guest: {e}"), None))?;
            let image_memory = GuestMemory::of_instance(&instance, &mut fresh)
                .ok_or_else(|| Error::setup("the guest has no memory export", None))?;
            let baked = BakedState::diff(image_memory.data(&fresh), memory.data(&store));
            tracing::debug!(
                changed_bytes = baked.changed_bytes(),
                "baked the services and snippets"
            );
            Some(baked)
        }
        Err(_) => None,
    };
    finish(store, wall_time, result.map(|(bytes, _)| bytes))?;
    Ok(baked)
}

/// Compiles a snippet to bytecode in a fresh instance (the guest's own
/// compiler); a syntax error is a Sandbox error naming the snippet and line.
pub(crate) fn compile(
    image: &GuestImage,
    limits: &Limits,
    name: &str,
    source: &str,
) -> Result<Vec<u8>, Error> {
    let mut writer = Writer::new();
    let request = writer
        .array_header(2)
        .and_then(|()| writer.str(name))
        .and_then(|()| writer.str(source))
        .and_then(|()| writer.finish())
        .map_err(|e| Error::usage(format!("snippet {name} cannot be sent to the guest: {e}")))?;
    let mut store = new_store(image.pre.module().engine(), limits, Arc::default())?;
    let result = call_export(image, &mut store, "kobako_compile", &request, None);
    let wall_time = store.data().started.elapsed();
    match finish(store, wall_time, result.map(|(bytes, _)| bytes))?.into_value() {
        // Bytecode that happens to be valid UTF-8 crosses as a str.
        Value::Bin(bytecode) => Ok(bytecode),
        Value::Str(text) => Ok(text.into_bytes()),
        other => Err(Error::setup(
            format!("the guest compiler returned {other} instead of bytecode"),
            None,
        )),
    }
}

/// Loads bytecode (without running it) in a fresh instance; `None` when it
/// loads, else why not.
pub(crate) fn check_bytecode(image: &GuestImage, limits: &Limits, bytecode: &[u8]) -> Option<String> {
    let mut store = match new_store(image.pre.module().engine(), limits, Arc::default()) {
        Ok(store) => store,
        Err(e) => return Some(e.to_string()),
    };
    let result = call_export(image, &mut store, "kobako_check_bytecode", bytecode, None);
    let wall_time = store.data().started.elapsed();
    match finish(store, wall_time, result.map(|(bytes, _)| bytes)) {
        Ok(_) => None,
        Err(Error::Bytecode(failure)) => Some(failure.message),
        Err(e) if e.is_trap() => Some(format!(
            "bytecode body is corrupt (loading it stopped the guest: {e})"
        )),
        Err(e) => Some(format!("bytecode could not be checked: {e}")),
    }
}

/// The request `[service paths, kind, snippets, payload]` (docs/wire.md);
/// paths and snippets are sent only when the guest must `replay` them.
fn encode_request(
    registry: &Registry,
    replay: bool,
    entry: &Entry<'_>,
    handles: &mut HandleTable,
) -> Result<Vec<u8>, Error> {
    let (paths, snippets) = if replay {
        (&registry.paths[..], &registry.snippets[..])
    } else {
        (&[][..], &[][..])
    };
    let mut writer = Writer::new();
    let mut encode = || -> Result<(), EncodeError> {
        writer.array_header(4)?;
        writer.array_header(paths.len())?;
        for path in paths {
            writer.str(path)?;
        }
        writer.int(match entry {
            Entry::Eval(_) => REQUEST_EVAL,
            Entry::Run { .. } => REQUEST_RUN,
            Entry::Bake => REQUEST_BAKE,
        });
        writer.array_header(snippets.len())?;
        for snippet in snippets {
            writer.bin(&snippet.bytecode)?;
        }
        match entry {
            Entry::Bake => writer.value(&Value::Nil, handles),
            Entry::Eval(source) => writer.str(source),
            // `[target, [args...], {kwargs}]`, written level by level: the
            // two levels of framing do not count against an argument's depth.
            Entry::Run { target, args, kwargs } => {
                writer.array_header(3)?;
                writer.str(target)?;
                writer.array_header(args.len())?;
                for arg in *args {
                    writer.value(arg, handles)?;
                }
                writer.map_header(kwargs.len())?;
                for (name, value) in *kwargs {
                    writer.sym(name)?;
                    writer.value(value, handles)?;
                }
                Ok(())
            }
        }
    };
    let encoded = encode().and_then(|()| writer.finish());
    encoded.map_err(|e| match (e, entry) {
        (EncodeError::HandlesExhausted, _) => Error::HandlerExhausted(Box::new(GuestFailure::preflight(
            "the run arguments need more Capability Handle ids than an invocation has",
        ))),
        (e, Entry::Eval(_) | Entry::Bake) => Error::Sandbox(Box::new(GuestFailure::preflight(format!(
            "the source cannot be sent to the guest: {e}"
        )))),
        (e, Entry::Run { .. }) => Error::usage(format!("the run arguments cannot be sent to the guest: {e}")),
    })
}

/// Instantiates the image (with `baked` written over it), hands `request`
/// to the export `name` and returns the outcome bytes and the memory.
fn call_export(
    image: &GuestImage,
    store: &mut Store<InvocationState>,
    name: &str,
    request: &[u8],
    baked: Option<&BakedState>,
) -> Result<(Vec<u8>, GuestMemory), Stop> {
    let instance = image.pre.instantiate(&mut *store)?;
    let exports = GuestExports::resolve(&instance, store)?;
    store.data_mut().exports = Some(exports.clone());
    if let Some(baked) = baked {
        baked.apply(exports.memory, store)?;
    }
    store.data_mut().memory.start_charging();
    let entry = instance.get_typed_func::<(u32, u32), ()>(&mut *store, name)?;
    let len = u32::try_from(request.len()).map_err(|_| Stop::WireViolation("request too large".into()))?;
    let ptr = exports.alloc.call(&mut *store, len)?;
    if ptr == 0 {
        return Err(Stop::NoRoom(format!(
            "the guest could not reserve {len} bytes for the request"
        )));
    }
    if !exports.memory.write(&mut *store, ptr, request) {
        return Err(Stop::WireViolation(format!(
            "kobako_alloc returned an out-of-bounds buffer at {ptr:#x}"
        )));
    }
    entry.call(&mut *store, (ptr, len))?;
    Ok((take_outcome(&exports, store)?, exports.memory))
}

/// Copies the outcome bytes out of guest memory; empty when there is none.
fn take_outcome(exports: &GuestExports, store: &mut Store<InvocationState>) -> Result<Vec<u8>, Stop> {
    let packed = exports.take_outcome.call(&mut *store, ())?;
    if packed == 0 {
        return Ok(Vec::new());
    }
    let (ptr, len) = ((packed >> 32) as u32, packed as u32);
    if len as usize > MESSAGE_MAX {
        return Err(Stop::WireViolation(format!(
            "the outcome is {len} bytes, over the 16 MiB message limit"
        )));
    }
    exports
        .memory
        .read(&*store, ptr, len)
        .ok_or_else(|| Stop::WireViolation(format!("the outcome at {ptr:#x}+{len} is out of bounds")))
}

/// Turns the end state of an invocation into its outcome (T-02).
fn finish(
    store: Store<InvocationState>,
    wall_time: Duration,
    result: Result<Vec<u8>, Stop>,
) -> Result<Execution, Error> {
    let state = store.into_data();
    let handles = state.handles;
    let abort = state.abort;
    let timed_out = state.timed_out;
    let interrupted = state.interrupted;
    let memory_exceeded = state.memory.exceeded;
    let (stdout, stdout_truncated) = state.stdout.finish();
    let (stderr, stderr_truncated) = state.stderr.finish();
    let output = Output {
        stdout,
        stderr,
        stdout_truncated,
        stderr_truncated,
        usage: Usage {
            wall_time,
            memory_peak: state.memory.peak(),
        },
    };
    let trap = |message: String, source: Option<wasmtime::Error>| {
        Box::new(TrapFailure {
            message,
            output: output.clone(),
            source: source.map(engine_source),
        })
    };
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(Stop::Engine(_)) if matches!(abort, Some(Abort::HandlesExhausted)) => {
            let message = Abort::HandlesExhausted.to_string();
            return Err(Error::HandlerExhausted(Box::new(host_failure(
                message,
                "Kobako::HandlerExhaustedError",
                output,
            ))));
        }
        Err(Stop::Engine(_)) if interrupted => {
            return Err(Error::Trap(trap(Interrupted.to_string(), None)));
        }
        Err(Stop::Engine(e)) if timed_out => {
            let message = e
                .downcast_ref::<TimeoutElapsed>()
                .map_or_else(|| "timeout".into(), ToString::to_string);
            return Err(Error::Timeout(trap(message, None)));
        }
        Err(Stop::Engine(e)) if memory_exceeded => {
            let message = e
                .downcast_ref::<MemoryLimitExceeded>()
                .map_or_else(|| "memory_limit exceeded".into(), ToString::to_string);
            return Err(Error::MemoryLimit(trap(message, None)));
        }
        Err(Stop::Engine(_)) if let Some(Abort::WireViolation(why)) = abort => {
            return Err(Error::Trap(trap(format!("wire violation: {why}"), None)));
        }
        Err(Stop::Engine(e)) => return Err(Error::Trap(trap(describe_engine_error(&e), Some(e)))),
        Err(Stop::WireViolation(why)) => {
            return Err(Error::Trap(trap(format!("wire violation: {why}"), None)));
        }
        Err(Stop::NoRoom(why)) => {
            return Err(Error::Sandbox(Box::new(host_failure(
                why,
                "Kobako::SandboxError",
                output,
            ))));
        }
    };
    if bytes.is_empty() {
        return Err(Error::Trap(trap("the sandbox produced no result".into(), None)));
    }
    match parse_outcome(&bytes, &handles) {
        Ok(Outcome::Value(value)) => Ok(Execution { value, output }),
        Ok(Outcome::Failure(record)) => Err(guest_error(record, output)),
        Err(OutcomeError::Unframed(why)) => {
            Err(Error::Trap(trap(format!("unreadable outcome: {why}"), None)))
        }
        Err(OutcomeError::Undecodable(why)) => Err(Error::Sandbox(Box::new(host_failure(
            format!("the result could not be decoded: {why}"),
            "Kobako::Transport::Error",
            output,
        )))),
    }
}

fn host_failure(message: String, klass: &str, output: Output) -> GuestFailure {
    GuestFailure {
        message,
        origin: Some(Origin::Sandbox),
        klass: Some(klass.to_owned()),
        backtrace: Some(Vec::new()),
        details: None,
        output: Some(output),
    }
}

fn guest_error(record: FailureRecord, output: Output) -> Error {
    let origin = if record.origin == "service" {
        Origin::Service
    } else {
        Origin::Sandbox
    };
    let failure = Box::new(GuestFailure {
        message: record.message,
        origin: Some(origin),
        klass: Some(record.klass),
        backtrace: Some(record.backtrace),
        details: record.details,
        output: Some(output),
    });
    match (origin, failure.klass.as_deref()) {
        (Origin::Service, _) => Error::Service(failure),
        (_, Some("Kobako::BytecodeError")) => Error::Bytecode(failure),
        _ => Error::Sandbox(failure),
    }
}

/// A one-line description of an engine error: the trap code when there is
/// one, without wasmtime's multi-line backtrace.
fn describe_engine_error(e: &wasmtime::Error) -> String {
    if let Some(exited) = e.downcast_ref::<GuestExited>() {
        return exited.to_string();
    }
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => format!("guest trapped: {trap}"),
        None => format!(
            "guest stopped: {}",
            e.to_string().lines().next().unwrap_or("unknown error")
        ),
    }
}

/// The engine's error as an opaque `source()` (its text with backtrace),
/// so no wasmtime type reaches the public API.
fn engine_source(e: wasmtime::Error) -> Box<dyn std::error::Error + Send + Sync> {
    format!("{e:?}").into()
}
