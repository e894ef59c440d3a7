//! `Kobako::Sandbox`'s native half: a kobako SandboxBuilder that collects
//! bindings and snippets until the first invocation builds the Sandbox, the
//! Ruby objects bound to it (marked for the GC), and the entry points that
//! run the guest with the GVL released. The Ruby half
//! (lib/kobako/sandbox.rb) checks options and keeps the per-thread output
//! readers.

use std::sync::{Arc, Mutex, MutexGuard};

use kobako::{Bindings, Execution, Profile, Sandbox, SandboxBuilder};
use magnus::gc::Marker;
use magnus::prelude::*;
use magnus::value::Opaque;
use magnus::{
    DataTypeFunctions, Error, RArray, RHash, RModule, RString, Ruby, Symbol, TypedData, Value, function,
    method,
};

use crate::error_classes::{output_to_ruby, to_ruby_error};
use crate::gvl;
use crate::invocation_context::{Entered, InvocationContext};
use crate::ruby_service::RubyObject;
use crate::value_conversion::{Objects, ToWire, hash_pairs, to_ruby};

/// When preloading belongs, for the message refusing a late preload.
const PRELOAD_RULE: &str = "snippets must be preloaded";

/// The native state of one `Kobako::Sandbox`.
#[derive(TypedData)]
#[magnus(class = "Kobako::Sandbox", free_immediately, size, mark)]
pub(crate) struct NativeSandbox {
    state: Mutex<State>,
    /// Every bound object; the kobako registry holds them too, so they must
    /// live as long as this Sandbox.
    bound: Mutex<Vec<Opaque<Value>>>,
}

/// Before the first invocation the Sandbox is still being built (Kobako's
/// `define`, `bind` and `preload` add to the builder); the first invocation
/// builds and seals it.
enum State {
    Building {
        builder: Box<SandboxBuilder>,
        /// A Sandbox with the same options and no registrations: it checks
        /// snippets as they are preloaded and serves `__compile`.
        compiler: Arc<Sandbox>,
    },
    Built(Arc<Sandbox>),
}

impl DataTypeFunctions for NativeSandbox {
    fn mark(&self, marker: &Marker) {
        // Only threads holding the GVL take this lock, and none calls Ruby
        // while holding it, so it is free whenever the GC runs.
        let bound = self.bound.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        marker.mark_slice(bound.as_slice());
    }
}

/// Registers the native methods on `Kobako::Sandbox`.
pub(crate) fn define(ruby: &Ruby, kobako: RModule) -> Result<(), Error> {
    let class = kobako.define_class("Sandbox", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_singleton_method("__new", function!(NativeSandbox::build, 7))?;
    class.define_method("__bind", method!(NativeSandbox::bind, 2))?;
    class.define_method("__preload_code", method!(NativeSandbox::preload_code, 2))?;
    class.define_method("__preload_binary", method!(NativeSandbox::preload_binary, 1))?;
    class.define_method("__compile", method!(NativeSandbox::compile, 2))?;
    class.define_method("__declare", method!(NativeSandbox::declare, 1))?;
    class.define_method("__eval", method!(NativeSandbox::eval, 2))?;
    class.define_method("__run", method!(NativeSandbox::run, 4))?;
    Ok(())
}

impl NativeSandbox {
    /// Builds the kobako Sandbox from options the Ruby half has checked.
    #[allow(clippy::too_many_arguments)]
    fn build(
        ruby: &Ruby,
        timeout: Option<f64>,
        memory_limit: Option<u64>,
        stdout_limit: Option<usize>,
        stderr_limit: Option<usize>,
        permissive: bool,
        wasm_path: Option<String>,
        first_handle_id: u32,
    ) -> Result<NativeSandbox, Error> {
        let mut builder = Sandbox::builder()
            .timeout_secs(timeout)
            .memory_limit(memory_limit)
            .stdout_limit(stdout_limit)
            .stderr_limit(stderr_limit)
            .profile(if permissive {
                Profile::Permissive
            } else {
                Profile::Hermetic
            })
            .first_handle_id_for_tests(first_handle_id);
        if let Some(path) = wasm_path {
            builder = builder.guest_wasm_file(path);
        }
        // Building once now checks the options and loads the guest, so a
        // bad option or guest is reported by `new`.
        let compiler = builder.clone().build().map_err(|e| to_ruby_error(ruby, e))?;
        Ok(NativeSandbox {
            state: Mutex::new(State::Building {
                builder: Box::new(builder),
                compiler: Arc::new(compiler),
            }),
            bound: Mutex::new(Vec::new()),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The builder, or an ArgumentError saying that `action` comes too late
    /// once the first invocation has sealed the Sandbox (`rule` says when it
    /// belongs).
    fn builder<'a>(
        ruby: &Ruby,
        state: &'a mut State,
        action: &str,
        rule: &str,
    ) -> Result<&'a mut SandboxBuilder, Error> {
        match state {
            State::Building { builder, .. } => Ok(builder),
            State::Built(_) => Err(Error::new(
                ruby.exception_arg_error(),
                format!(
                    "cannot {action} after first Sandbox invocation: the sandbox is sealed ({rule} before the first invocation)"
                ),
            )),
        }
    }

    /// Binds `object` at `"NS::Member"`.
    fn bind(ruby: &Ruby, rb_self: &Self, path: String, object: Value) -> Result<(), Error> {
        let mut state = rb_self.state();
        let builder = Self::builder(
            ruby,
            &mut state,
            &format!("bind {path}"),
            "services must be bound",
        )?;
        builder
            .service_arc(&path, Arc::new(RubyObject::new(object)))
            .map_err(|e| to_ruby_error(ruby, e))?;
        rb_self
            .bound
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(Opaque::from(object));
        Ok(())
    }

    /// Declares `"NS::Member"` with nothing bound: each invocation may fill
    /// it.
    fn declare(ruby: &Ruby, rb_self: &Self, path: String) -> Result<(), Error> {
        let mut state = rb_self.state();
        let builder = Self::builder(
            ruby,
            &mut state,
            &format!("bind {path}"),
            "paths must be declared",
        )?;
        builder
            .declare(&path)
            .map(|_| ())
            .map_err(|e| to_ruby_error(ruby, e))
    }

    /// Preloads a named source snippet (compiled now, as a check).
    fn preload_code(ruby: &Ruby, rb_self: &Self, name: String, code: String) -> Result<(), Error> {
        let mut state = rb_self.state();
        if let State::Building { compiler, .. } = &*state {
            compiler
                .compile(&name, &code)
                .map_err(|e| to_ruby_error(ruby, e))?;
        }
        let builder = Self::builder(ruby, &mut state, &format!("preload {name}"), PRELOAD_RULE)?;
        builder
            .preload_source(&name, &code)
            .map(|_| ())
            .map_err(|e| to_ruby_error(ruby, e))
    }

    /// Preloads precompiled mruby bytecode.
    fn preload_binary(ruby: &Ruby, rb_self: &Self, bytecode: RString) -> Result<(), Error> {
        // SAFETY: the bytes are copied before any Ruby code runs.
        let bytes = unsafe { bytecode.as_slice() }.to_vec();
        let mut state = rb_self.state();
        let builder = Self::builder(ruby, &mut state, "preload bytecode", PRELOAD_RULE)?;
        builder
            .preload_bytecode(bytes)
            .map(|_| ())
            .map_err(|e| to_ruby_error(ruby, e))
    }

    /// Compiles source to mruby bytecode with the guest's own compiler
    /// (`name` appears in backtraces as `(snippet:NAME)`).
    fn compile(ruby: &Ruby, rb_self: &Self, name: String, code: String) -> Result<RString, Error> {
        let compiler = match &*rb_self.state() {
            State::Building { compiler, .. } => compiler.clone(),
            State::Built(sandbox) => sandbox.clone(),
        };
        let bytecode = compiler
            .compile(&name, &code)
            .map_err(|e| to_ruby_error(ruby, e))?;
        Ok(ruby.str_from_slice(&bytecode))
    }

    /// The built Sandbox; the first call builds and seals it. Runs without
    /// the GVL: building calls no Ruby code.
    fn sandbox(&self) -> Result<Arc<Sandbox>, kobako::Error> {
        let mut state = self.state();
        let builder = match &*state {
            State::Built(sandbox) => return Ok(sandbox.clone()),
            State::Building { builder, .. } => builder.clone(),
        };
        let sandbox = Arc::new(builder.build()?);
        *state = State::Built(sandbox.clone());
        Ok(sandbox)
    }

    /// Evaluates source with the GVL released: `[value, output]`.
    /// `bindings` holds this invocation's `[path, object]` pairs.
    fn eval(ruby: &Ruby, rb_self: &Self, code: RString, bindings: RArray) -> Result<RArray, Error> {
        // SAFETY: the bytes are copied before any Ruby code runs.
        let source = unsafe { code.as_slice() }.to_vec();
        let entered = Entered::new(ruby);
        let context = entered.context();
        let bindings = invocation_bindings(ruby, context, bindings)?;
        let outcome = gvl::blocking(ruby, context.interrupt(), || {
            let sandbox = rb_self.sandbox()?;
            (sandbox.with_interrupt(context.interrupt()))
                .with_bindings(&bindings)
                .eval_bytes(&source)
        })?;
        finish(ruby, context, outcome)
    }

    /// Calls the entrypoint `target` with the GVL released: `[value,
    /// output]`. Objects in the arguments become Capability Handles.
    fn run(
        ruby: &Ruby,
        rb_self: &Self,
        target: String,
        args: RArray,
        kwargs: RHash,
        bindings: RArray,
    ) -> Result<RArray, Error> {
        let entered = Entered::new(ruby);
        let context = entered.context();
        let bindings = invocation_bindings(ruby, context, bindings)?;
        let converter = ToWire::new(ruby, Objects::Wrap, context);
        let refuse = |problem: crate::value_conversion::Unsendable| {
            problem.to_ruby_error(ruby, "run arguments", false)
        };
        let args = converter.convert_all(args).map_err(refuse)?;
        let mut keywords = Vec::new();
        for (key, value) in hash_pairs(kwargs)? {
            let key = Symbol::try_convert(key)?;
            keywords.push((
                key.name()?.into_owned(),
                converter.convert(value).map_err(refuse)?,
            ));
        }
        let outcome = gvl::blocking(ruby, context.interrupt(), || {
            let sandbox = rb_self.sandbox()?;
            sandbox
                .with_interrupt(context.interrupt())
                .with_bindings(&bindings)
                .run(&target, &args, keywords)
        })?;
        finish(ruby, context, outcome)
    }
}

/// The services of one invocation from `[path, object]` pairs, each object
/// pinned in the invocation's context.
fn invocation_bindings(ruby: &Ruby, context: &InvocationContext, pairs: RArray) -> Result<Bindings, Error> {
    let mut bindings = Bindings::new();
    for index in 0..pairs.len() {
        let pair: RArray = pairs.entry(index as isize)?;
        let (path, object): (String, Value) = (pair.entry(0)?, pair.entry(1)?);
        context.pin(object);
        bindings
            .service_arc(&path, Arc::new(RubyObject::new(object)))
            .map_err(|e| to_ruby_error(ruby, e))?;
    }
    Ok(bindings)
}

/// The invocation's result for Ruby: an exception a service raised or
/// Ruby delivered comes first, then the kobako outcome.
fn finish(
    ruby: &Ruby,
    context: &InvocationContext,
    outcome: Result<Execution, kobako::Error>,
) -> Result<RArray, Error> {
    if let Some(pending) = context.take_pending() {
        return Err(pending);
    }
    gvl::check_interrupts()?;
    let execution = outcome.map_err(|e| to_ruby_error(ruby, e))?;
    let reply = ruby.ary_new_capa(2);
    reply.push(to_ruby(ruby, execution.value()))?;
    reply.push(output_to_ruby(ruby, execution.output())?)?;
    Ok(reply)
}
