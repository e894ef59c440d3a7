//! Any Ruby object as a kobako Service: each guest call re-acquires the GVL
//! and goes through `Kobako::Dispatcher`, which applies the reflection
//! floor and `respond_to_guest?` before `public_send`.

use kobako::{Call, Fault, Service, Value as Wire};
use magnus::prelude::*;
use magnus::value::{Opaque, ReprValue};
use magnus::{RArray, Ruby, Symbol, Value};

use crate::block_channel::BlockChannel;
use crate::gvl;
use crate::invocation_context::{self, InvocationContext};
use crate::ruby_constants;
use crate::value_conversion::{Objects, ToWire, Unsendable, is_gadget, to_ruby};

/// A Ruby object bound as a Service or wrapped in a Capability Handle.
/// The GC keeps it alive through the Sandbox's mark function (bound
/// objects) or the invocation's pins (Handle targets).
pub(crate) struct RubyObject(Opaque<Value>);

impl RubyObject {
    pub(crate) fn new(value: Value) -> Self {
        RubyObject(Opaque::from(value))
    }

    /// The Ruby object itself.
    pub(crate) fn get(&self, ruby: &Ruby) -> Value {
        ruby.get_inner(self.0)
    }
}

impl Service for RubyObject {
    fn call(&self, call: &mut Call<'_>) -> Result<Wire, Fault> {
        let Some(context) = invocation_context::current() else {
            return Err(Fault::runtime("the service was called outside a Ruby invocation"));
        };
        if context.is_abandoned() {
            return Err(Fault::runtime("the invocation was abandoned"));
        }
        match gvl::with_gvl(|| dispatch(&context, self, call)) {
            Ok(result) => result,
            Err(_) => Err(Fault::runtime("the service dispatcher failed")),
        }
    }
}

/// One guest call, with the GVL held.
fn dispatch(context: &InvocationContext, target: &RubyObject, call: &mut Call<'_>) -> Result<Wire, Fault> {
    // SAFETY: this runs inside `rb_thread_call_with_gvl` on a Ruby thread.
    let ruby = unsafe { Ruby::get_unchecked() };
    let args = ruby.ary_new_capa(call.args().len());
    for arg in call.args() {
        let _ = args.push(to_ruby(&ruby, arg));
    }
    let kwargs = ruby.hash_new();
    for (name, value) in call.kwargs() {
        let _ = kwargs.aset(ruby.to_symbol(name), to_ruby(&ruby, value));
    }
    let method = ruby.to_symbol(call.method());
    let channel = call.block().map(|block| BlockChannel::open(&ruby, block));
    let dispatcher = ruby.get_inner(ruby_constants::get().dispatcher);
    let reply = dispatcher.funcall::<_, _, RArray>(
        "call",
        (
            target.get(&ruby),
            method,
            args,
            kwargs,
            channel.map(|c| c.as_value()),
        ),
    );
    if let Some(channel) = &channel {
        channel.close();
    }
    match reply {
        Ok(reply) => read_reply(&ruby, context, reply),
        Err(error) => {
            // Not a StandardError (an interrupt, `exit`, a kill): the guest
            // is abandoned and the exception reaches the caller unchanged.
            context.abandon(error);
            Err(Fault::runtime("the invocation was abandoned"))
        }
    }
}

/// Reads the dispatcher's `[status, ...]` reply.
fn read_reply(ruby: &Ruby, context: &InvocationContext, reply: RArray) -> Result<Wire, Fault> {
    let status: Symbol = reply
        .entry(0)
        .map_err(|_| Fault::runtime("the dispatcher gave no status"))?;
    let status = status
        .name()
        .map_err(|_| Fault::runtime("bad dispatcher status"))?;
    let second: Value = reply.entry(1).unwrap_or_else(|_| ruby.qnil().as_value());
    let message = || String::try_convert(second).unwrap_or_default();
    match status.as_ref() {
        "ok" => service_result(ruby, context, second),
        // The block ran `break`: the guest call evaluates to the break value.
        "break" => Ok(Wire::Nil),
        "argument" => Err(Fault::argument(message())),
        "undefined" => Err(Fault::undefined(message())),
        _ => Err(Fault::runtime(message())),
    }
}

/// A service's return value: a wire value by copy, else one Handle for the
/// whole value; gadgets and unsendable wire values fail the call.
fn service_result(ruby: &Ruby, context: &InvocationContext, value: Value) -> Result<Wire, Fault> {
    let converter = ToWire::new(ruby, Objects::Refuse, context);
    match converter.convert(value) {
        Ok(wire) => Ok(wire),
        Err(Unsendable::Object(_)) if !is_gadget(ruby, value) => Ok(converter.wrap(value)),
        Err(problem) => Err(Fault::runtime(format!(
            "the service result cannot be sent: {}",
            problem.describe()
        ))),
    }
}
