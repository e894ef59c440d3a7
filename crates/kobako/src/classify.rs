//! Classifying an invocation's end (docs/behavior.md, the outcome rules):
//! a stop reason or engine error becomes a trap-family or host-detected
//! error, and the guest's outcome bytes become a value or a guest error.

use wasmtime::Store;

use crate::error::{Error, ErrorKind, GuestFailure, Origin};
use crate::execution::Execution;
use crate::handle_table::HandleTable;
use crate::output::Output;
use crate::store::{Stop, StoreState};
use crate::wire::{FailureRecord, Outcome, OutcomeError, parse_outcome};

/// Turns the end state of an invocation into its outcome.
pub(crate) fn finish(
    store: Store<StoreState>,
    result: wasmtime::Result<Vec<u8>>,
) -> Result<Execution, Error> {
    let wall_time = store.data().started.elapsed();
    let end = store.into_data().end(wall_time);
    match result {
        Ok(bytes) => decoded(&bytes, &end.handles, end.output),
        Err(e) => Err(stopped(end.stop, e, end.output)),
    }
}

/// The error for a guest the engine or the host stopped.
fn stopped(stop: Option<Stop>, e: wasmtime::Error, output: Output) -> Error {
    if let Some(error) = no_free_slot(&e, &output) {
        return error;
    }
    let trap = |kind, message: String| Error::trap(kind, message, output.clone(), false, None);
    match stop {
        Some(Stop::HandlesExhausted) => host_failure(
            ErrorKind::HandlerExhausted,
            Stop::HandlesExhausted.to_string(),
            output,
        ),
        Some(Stop::NoRoom(why)) => host_failure(ErrorKind::Sandbox, why, output),
        Some(Stop::Interrupted) => {
            Error::trap(ErrorKind::Trap, Stop::Interrupted.to_string(), output, true, None)
        }
        Some(reason @ Stop::Timeout(_)) => trap(ErrorKind::Timeout, reason.to_string()),
        Some(reason @ Stop::MemoryLimit(_)) => trap(ErrorKind::MemoryLimit, reason.to_string()),
        Some(reason @ (Stop::WireViolation(_) | Stop::CalledOutWhileBaking)) => {
            trap(ErrorKind::Trap, reason.to_string())
        }
        Some(reason @ Stop::Exited(_)) => Error::trap(
            ErrorKind::Trap,
            reason.to_string(),
            output,
            false,
            Some(engine_source(e)),
        ),
        None => Error::trap(
            ErrorKind::Trap,
            describe_engine_error(&e),
            output,
            false,
            Some(engine_source(e)),
        ),
    }
}

/// The pooling allocator's refusal, kept as the source of the trap it
/// becomes, so the Sandbox can tell a passing shortage from a guest fault.
#[derive(Debug)]
struct NoFreeSlot(String);

impl std::fmt::Display for NoFreeSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoFreeSlot {}

/// The trap for an instance the pooling allocator had no slot for, if
/// that is what `e` is.
pub(crate) fn no_free_slot(e: &wasmtime::Error, output: &Output) -> Option<Error> {
    let full = e.downcast_ref::<wasmtime::PoolConcurrencyLimitError>()?;
    let message = format!(
        "the guest never started: no free instance slot ({full}); every pooled slot is held by an \
         invocation in flight, so raise SandboxBuilder::pool_size or run fewer at once"
    );
    let source = Box::new(NoFreeSlot(full.to_string()));
    Some(Error::trap(
        ErrorKind::Trap,
        message,
        output.clone(),
        false,
        Some(source),
    ))
}

/// Whether `e` is the trap of [`no_free_slot`]: a passing shortage, not a
/// fault of the guest.
pub(crate) fn found_no_free_slot(e: &Error) -> bool {
    std::error::Error::source(e).is_some_and(|source| source.is::<NoFreeSlot>())
}

/// The value or guest error the outcome bytes hold.
fn decoded(bytes: &[u8], handles: &HandleTable, output: Output) -> Result<Execution, Error> {
    let trap = |message: String| Error::trap(ErrorKind::Trap, message, output.clone(), false, None);
    if bytes.is_empty() {
        return Err(trap("the sandbox produced no result".into()));
    }
    match parse_outcome(bytes, handles) {
        Ok(Outcome::Value(value)) => Ok(Execution { value, output }),
        Ok(Outcome::Failure(record)) => Err(guest_error(record, output)),
        Err(OutcomeError::Unframed(why)) => Err(trap(format!("unreadable outcome: {why}"))),
        Err(OutcomeError::Undecodable(why)) => Err(Error::guest(
            ErrorKind::Sandbox,
            GuestFailure::detected(
                format!("the result could not be decoded: {why}"),
                "Kobako::Transport::Error",
                output,
            ),
        )),
    }
}

/// A failure the host detected on the guest's behalf, under the class of
/// its own kind.
fn host_failure(kind: ErrorKind, message: String, output: Output) -> Error {
    Error::guest(kind, GuestFailure::detected(message, kind.ruby_class(), output))
}

/// The error for an unrescued guest exception: Service by origin, Bytecode
/// when the guest raised that kind's class, else Sandbox.
fn guest_error(record: FailureRecord, output: Output) -> Error {
    let origin = if record.origin == Origin::Service.as_str() {
        Origin::Service
    } else {
        Origin::Sandbox
    };
    let kind = match origin {
        Origin::Service => ErrorKind::Service,
        _ if record.klass == ErrorKind::Bytecode.ruby_class() => ErrorKind::Bytecode,
        _ => ErrorKind::Sandbox,
    };
    let failure = GuestFailure {
        message: record.message,
        origin: Some(origin),
        klass: Some(record.klass),
        backtrace: Some(record.backtrace),
        details: record.details,
        output: Some(output),
    };
    Error::guest(kind, failure)
}

/// A one-line description of an engine error: the trap code when there is
/// one, without wasmtime's multi-line backtrace.
fn describe_engine_error(e: &wasmtime::Error) -> String {
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
