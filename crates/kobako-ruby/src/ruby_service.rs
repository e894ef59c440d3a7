//! Any Ruby object as a kobako Service: each guest call re-acquires the GVL
//! and goes through `Kobako::Dispatcher`, which applies the reflection
//! floor and `respond_to_guest?` before `public_send`, or, for a method the
//! dispatcher allowed for the invocation, is made by the extension itself.

use std::ffi::c_int;

use kobako::{Call, Fault, Service, Value as Wire};
use magnus::prelude::*;
use magnus::rb_sys::{AsRawValue, FromRawValue};
use magnus::value::{Opaque, ReprValue};
use magnus::{RArray, Ruby, Symbol, Value};
use rb_sys::{ID, VALUE, rb_funcallv_public, rb_method_boundp, rb_sym2id};

use crate::block_channel::BlockChannel;
use crate::gvl;
use crate::invocation_context::{self, InvocationContext, Route};
use crate::ruby_constants;
use crate::value_conversion::{Objects, ToWire, Unsendable, is_gadget, to_ruby};

/// A Ruby object bound as a Service or wrapped in a Capability Handle.
/// The GC keeps it alive through the Sandbox's mark function (bound
/// objects) or the invocation's pins (Handle targets and objects bound
/// for one invocation); both also keep it in place.
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

/// The most positional arguments of a call the extension makes itself.
const DIRECT_ARGS: usize = 8;

/// `rb_method_boundp`'s flags for "a public method" (`BOUND_PRIVATE |
/// BOUND_RESPONDS` in Ruby's vm_method.c): private and protected methods
/// do not count.
const PUBLIC_METHOD: c_int = 0x01 | 0x02;

/// What a call gave back before its conversion to a wire value.
enum Outcome {
    /// The method's return value (a call the extension made itself).
    Returned(Value),
    /// The dispatcher's `[status, ...]` reply.
    Reply(RArray),
}

/// One guest call, with the GVL held.
fn dispatch(context: &InvocationContext, target: &RubyObject, call: &mut Call<'_>) -> Result<Wire, Fault> {
    // SAFETY: this runs inside `rb_thread_call_with_gvl` on a Ruby thread.
    let ruby = unsafe { Ruby::get_unchecked() };
    let receiver = target.get(&ruby);
    let outcome = direct_method(&ruby, context, receiver, call).and_then(|method| match method {
        Some(method) => call_directly(&ruby, receiver, method, call.args()),
        None => call_dispatcher(&ruby, receiver, call),
    });
    match outcome {
        Ok(Outcome::Returned(value)) => service_result(&ruby, context, value),
        Ok(Outcome::Reply(reply)) => read_reply(&ruby, context, reply),
        Err(error) => {
            // Not a StandardError (an interrupt, `exit`, a kill): the guest
            // is abandoned and the exception reaches the caller unchanged.
            context.abandon(error);
            Err(Fault::runtime("the invocation was abandoned"))
        }
    }
}

/// The method the extension may call itself for this call: one the
/// dispatcher allowed for the invocation, public now, called with a few
/// positional arguments and no block.
fn direct_method(
    ruby: &Ruby,
    context: &InvocationContext,
    receiver: Value,
    call: &mut Call<'_>,
) -> Result<Option<ID>, magnus::Error> {
    if call.args().len() > DIRECT_ARGS || !call.kwargs().is_empty() || call.block().is_some() {
        return Ok(None);
    }
    let route = match context.route(receiver, call.method()) {
        Some(route) => route,
        None => {
            let route = decide_route(ruby, receiver, call.method())?;
            context.set_route(receiver, call.method(), route);
            route
        }
    };
    let Route::Direct(method) = route else {
        return Ok(None);
    };
    // SAFETY: called with the GVL held, on the receiver's live class and an
    // ID; the lookup runs no Ruby code.
    let public = unsafe { rb_method_boundp(receiver.class().as_raw(), method, PUBLIC_METHOD) } != 0;
    Ok(public.then_some(method))
}

/// Asks `Kobako::Dispatcher.direct?` about `method` on `receiver`; a name
/// that is not already a static Symbol always goes through the dispatcher,
/// so the guest cannot make Symbols immortal.
fn decide_route(ruby: &Ruby, receiver: Value, method: &str) -> Result<Route, magnus::Error> {
    let name = ruby.to_symbol(method);
    let dispatcher = ruby.get_inner(ruby_constants::get().dispatcher);
    let direct: bool = dispatcher.funcall("direct?", (receiver, name))?;
    Ok(match name.as_static() {
        // SAFETY: a static Symbol's ID exists already; nothing is interned.
        Some(name) if direct => Route::Direct(unsafe { rb_sym2id(name.as_raw()) }),
        _ => Route::Dispatcher,
    })
}

/// Calls `method` on `receiver` as `Kernel#public_send` would; a
/// StandardError becomes the dispatcher's failure reply.
fn call_directly(ruby: &Ruby, receiver: Value, method: ID, args: &[Wire]) -> Result<Outcome, magnus::Error> {
    // The arguments stay on this stack frame, where the GC sees them.
    let mut argv = [ruby.qnil().as_value(); DIRECT_ARGS];
    for (slot, arg) in argv.iter_mut().zip(args) {
        *slot = to_ruby(ruby, arg);
    }
    let argv = &argv[..args.len()];
    let result = magnus::rb_sys::protect(|| {
        // SAFETY: called with the GVL held; `argv` holds `argv.len()` live
        // values, and a raise is caught by `protect`.
        unsafe {
            rb_funcallv_public(
                receiver.as_raw(),
                method,
                argv.len() as c_int,
                argv.as_ptr().cast::<VALUE>(),
            )
        }
    });
    match result {
        // SAFETY: the value was just returned by Ruby and is on this stack.
        Ok(value) => Ok(Outcome::Returned(unsafe { Value::from_raw(value) })),
        Err(error) if error.is_kind_of(ruby.exception_standard_error()) => {
            let dispatcher = ruby.get_inner(ruby_constants::get().dispatcher);
            dispatcher
                .funcall("failure", (receiver, error.value()))
                .map(Outcome::Reply)
        }
        Err(error) => Err(error),
    }
}

/// Calls `Kobako::Dispatcher.call`, which checks the call and makes it.
fn call_dispatcher(ruby: &Ruby, receiver: Value, call: &mut Call<'_>) -> Result<Outcome, magnus::Error> {
    let args = ruby.ary_new_capa(call.args().len());
    for arg in call.args() {
        let _ = args.push(to_ruby(ruby, arg));
    }
    let kwargs = ruby.hash_new();
    for (name, value) in call.kwargs() {
        let _ = kwargs.aset(ruby.to_symbol(name), to_ruby(ruby, value));
    }
    let method = ruby.to_symbol(call.method());
    let channel = call.block().map(|block| BlockChannel::open(ruby, block));
    let dispatcher = ruby.get_inner(ruby_constants::get().dispatcher);
    let reply = dispatcher.funcall(
        "call",
        (receiver, method, args, kwargs, channel.map(|c| c.as_value())),
    );
    if let Some(channel) = &channel {
        channel.close();
    }
    reply.map(Outcome::Reply)
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
