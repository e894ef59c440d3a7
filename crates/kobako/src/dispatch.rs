//! The host import `kobako.dispatch`: where a guest call to a Service or a
//! Handle crosses into host code, and where a service's `yield` crosses back
//! into the guest (`kobako_yield`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use wasmtime::{Caller, Linker};

use crate::guest_exports::GuestExports;
use crate::store::{Stop, StoreState, caller_memory};
use crate::value::Value;
use crate::value::{Block, BlockChannel, BlockError, Call, Fault};
use crate::wire::{
    BlockReply, EncodeError, MESSAGE_MAX, ReplyBody, RequestError, Target, encode_reply, encode_yield_args,
    parse_block_reply, parse_request,
};

pub(crate) fn define(linker: &mut Linker<StoreState>) -> wasmtime::Result<()> {
    linker.func_wrap("kobako", "dispatch", dispatch)?;
    Ok(())
}

/// Handles one guest call and returns the reply's `ptr << 32 | len`.
fn dispatch(mut caller: Caller<'_, StoreState>, ptr: u32, len: u32) -> wasmtime::Result<u64> {
    if caller.data().baking {
        return Err(abort(&mut caller, Stop::CalledOutWhileBaking));
    }
    let request = read_guest(&mut caller, ptr, len, "call")?;
    let outcome = match parse_request(&request, &caller.data().handles) {
        Ok(request) => run_call(&mut caller, request)?,
        Err(RequestError::UnknownHandle(id)) => Reply::Fault(Fault::undefined(format!(
            "no live Capability Handle with id {id} in this invocation"
        ))),
        Err(RequestError::Malformed(e)) => {
            return Err(abort(&mut caller, Stop::WireViolation(format!("bad call: {e}"))));
        }
    };
    let body = match &outcome {
        Reply::Value(value) => ReplyBody::Value(value),
        Reply::Fault(fault) => ReplyBody::Fault(fault),
        Reply::Break => ReplyBody::Break,
    };
    let encoded = encode_reply(body, &mut caller.data_mut().handles);
    let bytes = match encoded {
        Ok(bytes) => bytes,
        Err(EncodeError::HandlesExhausted) => return Err(abort(&mut caller, Stop::HandlesExhausted)),
        Err(e) => {
            return Err(abort(
                &mut caller,
                Stop::WireViolation(format!("cannot encode a reply: {e}")),
            ));
        }
    };
    write_guest(&mut caller, &bytes)
}

enum Reply {
    Value(Value),
    Fault(Fault),
    Break,
}

fn run_call(
    caller: &mut Caller<'_, StoreState>,
    request: crate::wire::DispatchRequest,
) -> wasmtime::Result<Reply> {
    let (service, target_name) = match &request.target {
        Target::Path(path) => match caller.data().service_at(path) {
            Some(service) => (service.clone(), path.clone()),
            None => {
                return Ok(Reply::Fault(Fault::undefined(format!(
                    "no service is bound at {path}"
                ))));
            }
        },
        Target::Object(object) => (object.service().clone(), "a Capability Handle".to_owned()),
    };
    if !service.allows(&request.method) {
        return Ok(Reply::Fault(Fault::undefined(format!(
            "method {} is not available on {target_name}",
            request.method
        ))));
    }
    let mut channel = GuestBlock {
        caller,
        broke: false,
        aborted: None,
    };
    let result = {
        let mut call = Call {
            method: &request.method,
            args: request.args,
            kwargs: request.kwargs,
            block: None,
        };
        if request.has_block {
            call.block = Some(Block {
                channel: &mut channel,
            });
        }
        catch_unwind(AssertUnwindSafe(|| service.call(&mut call)))
    };
    if let Some(e) = channel.aborted {
        return Err(e);
    }
    Ok(match result {
        _ if channel.broke => Reply::Break,
        Ok(Ok(value)) => Reply::Value(value),
        Ok(Err(fault)) => Reply::Fault(fault),
        Err(_) => Reply::Fault(Fault::runtime(format!("the service at {target_name} panicked"))),
    })
}

/// The guest block of one call; each call re-enters the guest through the
/// `kobako_yield` export.
struct GuestBlock<'c, 'd> {
    caller: &'c mut Caller<'d, StoreState>,
    broke: bool,
    aborted: Option<wasmtime::Error>,
}

impl BlockChannel for GuestBlock<'_, '_> {
    fn call_block(&mut self, args: Vec<Value>) -> Result<Value, BlockError> {
        if self.broke {
            return Err(BlockError::Spent);
        }
        if self.aborted.is_some() {
            return Err(BlockError::Aborted);
        }
        let bytes = encode_yield_args(&args).map_err(|e| BlockError::Unsendable(e.to_string()))?;
        match self.enter(&bytes) {
            Ok(BlockReply::Value(value)) => Ok(value),
            Ok(BlockReply::Raised { class, message }) => Err(BlockError::Raised { class, message }),
            Ok(BlockReply::Break) => {
                self.broke = true;
                Err(BlockError::Break)
            }
            Err(e) => {
                self.aborted = Some(e);
                Err(BlockError::Aborted)
            }
        }
    }
}

impl GuestBlock<'_, '_> {
    fn enter(&mut self, args: &[u8]) -> wasmtime::Result<BlockReply> {
        let packed = write_guest(self.caller, args)?;
        let yield_fn = guest_export(self.caller, "kobako_yield", |e| e.yield_block.clone())?;
        let reply = yield_fn.call(&mut *self.caller, ((packed >> 32) as u32, packed as u32))?;
        let bytes = read_guest(self.caller, (reply >> 32) as u32, reply as u32, "block reply")?;
        parse_block_reply(&bytes, &self.caller.data().handles)
            .map_err(|e| abort(self.caller, Stop::WireViolation(format!("bad block reply: {e}"))))
    }
}

/// The guest export `name`, picked from the exports resolved at
/// instantiation; a guest that lacks it cannot follow the protocol, which
/// stops the invocation as a wire violation (so the error names the export).
fn guest_export<T>(
    caller: &mut Caller<'_, StoreState>,
    name: &str,
    pick: impl FnOnce(&GuestExports) -> Option<T>,
) -> wasmtime::Result<T> {
    let export = caller.data().exports.as_ref().and_then(pick);
    export.ok_or_else(|| {
        abort(
            caller,
            Stop::WireViolation(format!("the guest has no usable {name} export")),
        )
    })
}

/// Records why the host stops the guest and returns the trap that does it.
fn abort(caller: &mut Caller<'_, StoreState>, reason: Stop) -> wasmtime::Error {
    caller.data_mut().stop(reason)
}

/// Copies a guest message out of its memory, refusing oversized or
/// out-of-bounds ones as wire violations.
fn read_guest(
    caller: &mut Caller<'_, StoreState>,
    ptr: u32,
    len: u32,
    what: &str,
) -> wasmtime::Result<Vec<u8>> {
    if len as usize > MESSAGE_MAX {
        return Err(abort(
            caller,
            Stop::WireViolation(format!("the {what} is {len} bytes, over the 16 MiB limit")),
        ));
    }
    let Some(memory) = caller_memory(caller) else {
        return Err(abort(
            caller,
            Stop::WireViolation("the guest has no memory export".into()),
        ));
    };
    match memory.read(&*caller, ptr, len) {
        Some(bytes) => Ok(bytes),
        None => Err(abort(
            caller,
            Stop::WireViolation(format!("the {what} at {ptr:#x}+{len} is out of bounds")),
        )),
    }
}

/// Places a host message in guest memory (allocated by the guest's
/// `kobako_alloc`, freed by the guest) and returns `ptr << 32 | len`.
fn write_guest(caller: &mut Caller<'_, StoreState>, bytes: &[u8]) -> wasmtime::Result<u64> {
    let alloc = guest_export(caller, "kobako_alloc", |e| Some(e.alloc.clone()))?;
    let len = bytes.len() as u32;
    let ptr = alloc.call(&mut *caller, len)?;
    let memory = caller_memory(caller);
    if ptr == 0 || !memory.is_some_and(|m| m.write(&mut *caller, ptr, bytes)) {
        return Err(abort(
            caller,
            Stop::WireViolation(format!("the guest could not take a {len}-byte message")),
        ));
    }
    Ok((u64::from(ptr) << 32) | u64::from(len))
}
