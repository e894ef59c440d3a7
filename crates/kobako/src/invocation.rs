//! The four things the host asks of a fresh guest instance: run an
//! invocation, bake the services and snippets into a start state, compile a
//! snippet, and check preloaded bytecode. Each gets its own store, which
//! dies when it ends.

use std::sync::Arc;

use crate::baked_state::BakedState;
use crate::bindings::Bindings;
use crate::classify::{finish, no_free_slot};
use crate::error::{Error, ErrorKind, GuestFailure};
use crate::execution::Execution;
use crate::export_call::call_export;
use crate::guest_image::GuestImage;
use crate::guest_memory::GuestMemory;
use crate::interrupt::Interrupt;
use crate::limits::Limits;
use crate::output::Output;
use crate::registry::Registry;
use crate::store::{Stop, new_store};
use crate::value::Value;
use crate::wire::{EncodeError, Entry, HandleIssuer, encode_compile, encode_invocation};

/// Runs one invocation in a fresh instance and classifies the result. The
/// instance starts from `baked` when there is one; otherwise it binds the
/// services and replays the snippets itself.
pub(crate) fn invoke(
    image: &GuestImage,
    limits: &Limits,
    registry: &Arc<Registry>,
    baked: Option<&BakedState>,
    entry: Entry<'_>,
    interrupt: Option<&Interrupt>,
    bindings: Option<&Bindings>,
) -> Result<Execution, Error> {
    if let Some(bindings) = bindings {
        bindings.check_against(registry)?;
    }
    let span = tracing::debug_span!("kobako.invoke", run = matches!(entry, Entry::Run { .. }));
    let _entered = span.enter();
    if let Some(problem) = &registry.bytecode_problem {
        return Err(Error::guest(
            ErrorKind::Bytecode,
            GuestFailure::detected(
                problem.clone(),
                ErrorKind::Bytecode.ruby_class(),
                Default::default(),
            ),
        ));
    }
    let mut store = new_store(&image.engine, limits, registry.clone(), interrupt.cloned())?;
    store.data_mut().bindings = Bindings::for_invocation(registry, bindings);
    let request = encode_request(registry, baked.is_none(), &entry, &mut store.data_mut().handles)?;
    let result = call_export(image, &mut store, "kobako_eval", &request, baked);
    finish(store, result.map(|(bytes, _)| bytes))
}

/// Binds the services and replays the snippets once, in a fresh instance,
/// and keeps the memory it leaves as the start of later invocations.
/// `Ok(None)` when the snippets cannot be baked because their top level
/// writes output or calls a service (each invocation then replays them);
/// an error is what replaying them fails with.
pub(crate) fn bake(
    image: &GuestImage,
    limits: &Limits,
    registry: &Arc<Registry>,
    interrupt: Option<&Interrupt>,
) -> Result<Option<BakedState>, Error> {
    let mut store = new_store(&image.engine, limits, registry.clone(), interrupt.cloned())?;
    store.data_mut().baking = true;
    let request = encode_request(registry, true, &Entry::Bake, &mut store.data_mut().handles)?;
    let result = call_export(image, &mut store, "kobako_eval", &request, None);
    let state = store.data();
    let impure = matches!(state.stop_reason(), Some(Stop::CalledOutWhileBaking)) || !state.wrote_nothing();
    if impure {
        return Ok(None);
    }
    let baked = match &result {
        Ok((_, memory)) => {
            let state = diff_from_image(image, limits, memory.data(&store))?;
            memory.release_pages(&mut store);
            Some(state)
        }
        Err(_) => None,
    };
    finish(store, result.map(|(bytes, _)| bytes))?;
    Ok(baked)
}

/// Where `baked` memory differs from a fresh instance of the image.
fn diff_from_image(image: &GuestImage, limits: &Limits, baked: &[u8]) -> Result<BakedState, Error> {
    let mut fresh = new_store(&image.engine, limits, Arc::default(), None)?;
    let instance = image.pre.instantiate(&mut fresh).map_err(|e| {
        no_free_slot(&e, &Output::default())
            .unwrap_or_else(|| Error::setup(format!("cannot instantiate the guest: {e}"), None))
    })?;
    let image_memory = GuestMemory::of_instance(&instance, &mut fresh)
        .ok_or_else(|| Error::setup("the guest has no memory export", None))?;
    let state = BakedState::diff(image_memory.data(&fresh), baked);
    image_memory.release_pages(&mut fresh);
    tracing::debug!(
        changed_bytes = state.changed_bytes(),
        "baked the services and snippets"
    );
    Ok(state)
}

/// Compiles a snippet to bytecode in a fresh instance (the guest's own
/// compiler); a syntax error is a Sandbox error naming the snippet and line.
pub(crate) fn compile(
    image: &GuestImage,
    limits: &Limits,
    name: &str,
    source: &str,
) -> Result<Vec<u8>, Error> {
    let request = encode_compile(name, source)
        .map_err(|e| Error::misuse(format!("snippet {name} cannot be sent to the guest: {e}")))?;
    let mut store = new_store(&image.engine, limits, Arc::default(), None)?;
    let result = call_export(image, &mut store, "kobako_compile", &request, None);
    let outcome = finish(store, result.map(|(bytes, _)| bytes));
    match outcome
        .map_err(|e| e.in_context(&format!("compiling (snippet:{name})")))?
        .into_value()
    {
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
    let mut store = match new_store(&image.engine, limits, Arc::default(), None) {
        Ok(store) => store,
        Err(e) => return Some(e.to_string()),
    };
    let result = call_export(image, &mut store, "kobako_check_bytecode", bytecode, None);
    match finish(store, result.map(|(bytes, _)| bytes)) {
        Ok(_) => None,
        Err(e) if e.kind() == ErrorKind::Bytecode => e.guest_failure().map(|f| f.message().to_owned()),
        // Not a fault of the bytecode: each invocation meets the same cap
        // and reports it as a MemoryLimit or Timeout error.
        Err(e) if e.is_memory_limit() || e.is_timeout() => None,
        Err(e) if e.is_trap() => Some(format!(
            "bytecode body is corrupt (loading it stopped the guest: {e})"
        )),
        Err(e) => Some(format!("bytecode could not be checked: {e}")),
    }
}

/// The request for `entry`; paths and snippets are sent only when the guest
/// must `replay` them.
fn encode_request(
    registry: &Registry,
    replay: bool,
    entry: &Entry<'_>,
    handles: &mut dyn HandleIssuer,
) -> Result<Vec<u8>, Error> {
    let (paths, snippets) = if replay {
        (&registry.paths[..], &registry.snippets[..])
    } else {
        (&[][..], &[][..])
    };
    encode_invocation(paths, snippets, entry, handles).map_err(|e| match (e, entry) {
        (EncodeError::HandlesExhausted, _) => Error::preflight(
            ErrorKind::HandlerExhausted,
            "the run arguments need more Capability Handle ids than an invocation has",
        ),
        (e, Entry::Eval(_) | Entry::Bake) => Error::preflight(
            ErrorKind::Sandbox,
            format!("the source cannot be sent to the guest: {e}"),
        ),
        (e, Entry::Run { .. }) => {
            Error::misuse(format!("the run arguments cannot be sent to the guest: {e}"))
        }
    })
}
