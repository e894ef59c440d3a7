//! The Sandbox: sealed options, services and snippets plus a shared guest
//! image. Each call to `eval` or `run` runs in a fresh instance, so one
//! Sandbox serves many threads.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::baked_state::BakedState;
use crate::bindings::Bindings;
use crate::classify::found_no_free_slot;
use crate::error::{Error, ErrorKind};
use crate::execution::Execution;
use crate::guest_image::GuestImage;
use crate::interrupt::Interrupt;
use crate::invocation;
use crate::limits::{Limits, Profile};
use crate::registry::{Registry, is_constant_name};
use crate::value::Value;
use crate::wire::{Entry, MESSAGE_MAX};

/// Runs untrusted Ruby in a fresh WebAssembly instance per invocation.
///
/// A Sandbox holds only configuration: it is `Send + Sync`, and concurrent
/// calls from many threads are independent. Build one with
/// [`Sandbox::builder`]; once built it cannot gain services or snippets.
///
/// ```
/// let sandbox = kobako::Sandbox::new()?;
/// let run = sandbox.eval("[1, 2, 3].sum")?;
/// assert_eq!(run.value().as_int(), Some(6));
/// # Ok::<(), kobako::Error>(())
/// ```
///
/// ```compile_fail
/// let sandbox = kobako::Sandbox::new()?;
/// sandbox.preload_source("Late", "Late = 1")?; // registration is on the builder
/// # Ok::<(), kobako::Error>(())
/// ```
pub struct Sandbox {
    limits: Limits,
    image: Arc<GuestImage>,
    registry: Arc<Registry>,
    /// Whether invocations may start from a baked state: there is something
    /// to bake, the bytecode loads, and the clocks are hermetic (permissive
    /// clocks and entropy differ per invocation, so the snippets' top level
    /// must see them afresh each time).
    bakeable: bool,
    /// The state invocations start from, once the first one has baked it
    /// (`None`: each invocation binds and replays by itself).
    baked: OnceLock<Option<BakedState>>,
    /// Held while the first invocation bakes, so others wait for it.
    baking: Mutex<()>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Refuses source the guest cannot take, before it starts.
fn eval_source(source: &[u8]) -> Result<&str, Error> {
    if source.len() > MESSAGE_MAX {
        return Err(Error::preflight(
            ErrorKind::Sandbox,
            format!("source is {} bytes, larger than the 16 MiB limit", source.len()),
        ));
    }
    std::str::from_utf8(source).map_err(|e| {
        Error::preflight(
            ErrorKind::Sandbox,
            format!(
                "source is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Refuses a run target that is not a top-level constant name.
fn run_target(target: &str) -> Result<&str, Error> {
    if is_constant_name(target) {
        return Ok(target);
    }
    Err(Error::misuse(format!(
        "run target {target:?} must match /\\A[A-Z][A-Za-z0-9_]*\\z/ (a top-level constant name: an ASCII capital letter, then letters, digits or underscores)"
    )))
}

impl Sandbox {
    pub(crate) fn new_sealed(limits: Limits, image: Arc<GuestImage>, registry: Arc<Registry>) -> Sandbox {
        let bakeable = !registry.is_empty()
            && registry.bytecode_problem.is_none()
            && limits.profile == Profile::Hermetic;
        Sandbox {
            limits,
            image,
            registry,
            bakeable,
            baked: OnceLock::new(),
            baking: Mutex::new(()),
        }
    }

    /// Evaluates Ruby source; the value is that of the last expression.
    pub fn eval(&self, source: &str) -> Result<Execution, Error> {
        self.eval_bytes(source.as_bytes())
    }

    /// Like [`eval`](Self::eval) for source that has not been checked yet:
    /// bytes that are not UTF-8 are refused before the guest starts.
    pub fn eval_bytes(&self, source: &[u8]) -> Result<Execution, Error> {
        self.invoke(Entry::Eval(eval_source(source)?), Scope::default())
    }

    /// Calls the entrypoint `target` (a top-level constant the preloaded
    /// snippets define, which responds to `call`) with `args`; keyword
    /// arguments, if any, arrive as one trailing Hash with Symbol keys. Host
    /// objects in the arguments reach the guest as Capability Handles.
    ///
    /// ```
    /// let mut builder = kobako::Sandbox::builder();
    /// builder.preload_source("Adder", "Adder = ->(a, b, opts = {}) { (a + b) * opts.fetch(:scale, 1) }")?;
    /// let sandbox = builder.build()?;
    /// assert_eq!(sandbox.run("Adder", &[2.into(), 3.into()], [])?.value().as_int(), Some(5));
    /// let scaled = sandbox.run("Adder", &[2.into(), 3.into()], [("scale".into(), 10.into())])?;
    /// assert_eq!(scaled.value().as_int(), Some(50));
    /// # Ok::<(), kobako::Error>(())
    /// ```
    pub fn run<K>(&self, target: &str, args: &[Value], kwargs: K) -> Result<Execution, Error>
    where
        K: IntoIterator<Item = (String, Value)>,
    {
        let kwargs: Vec<_> = kwargs.into_iter().collect();
        self.invoke(
            Entry::Run {
                target: run_target(target)?,
                args,
                kwargs: &kwargs,
            },
            Scope::default(),
        )
    }

    /// A view of this Sandbox whose invocations stop (with a Trap error for
    /// which [`Error::is_interrupted`] holds) once `interrupt` is raised from
    /// another thread.
    pub fn with_interrupt<'a>(&'a self, interrupt: &'a Interrupt) -> Scoped<'a> {
        Scoped {
            sandbox: self,
            scope: Scope::default(),
        }
        .with_interrupt(interrupt)
    }

    /// A view of this Sandbox whose invocations also reach `bindings`: they
    /// fill declared paths or shadow bound ones for those invocations only.
    pub fn with_bindings<'a>(&'a self, bindings: &'a Bindings) -> Scoped<'a> {
        Scoped {
            sandbox: self,
            scope: Scope::default(),
        }
        .with_bindings(bindings)
    }

    /// Compiles Ruby source to mruby bytecode with the guest's own compiler,
    /// for [`SandboxBuilder::preload_bytecode`](crate::SandboxBuilder::preload_bytecode)
    /// or storage.
    pub fn compile(&self, name: &str, source: &str) -> Result<Vec<u8>, Error> {
        invocation::compile(&self.image, &self.limits, name, source)
    }

    /// The wall-clock budget of each invocation.
    pub fn timeout(&self) -> Option<Duration> {
        self.limits.timeout
    }

    /// The memory growth cap of each invocation, in bytes.
    pub fn memory_limit(&self) -> Option<u64> {
        self.limits.memory_limit
    }

    /// Bytes of stdout kept per invocation.
    pub fn stdout_limit(&self) -> Option<usize> {
        self.limits.stdout_limit
    }

    /// Bytes of stderr kept per invocation.
    pub fn stderr_limit(&self) -> Option<usize> {
        self.limits.stderr_limit
    }

    /// What the guest's clocks read.
    pub fn profile(&self) -> Profile {
        self.limits.profile
    }

    /// Runs `entry` in a fresh instance, from the baked state when there is
    /// one.
    fn invoke(&self, entry: Entry<'_>, scope: Scope<'_>) -> Result<Execution, Error> {
        let baked = self.baked_start(scope.interrupt)?;
        let (registry, interrupt, bindings) = (&self.registry, scope.interrupt, scope.bindings);
        invocation::invoke(
            &self.image,
            &self.limits,
            registry,
            baked,
            entry,
            interrupt,
            bindings,
        )
    }

    /// The baked start state, baked by the first invocation that needs it;
    /// a failed bake is that invocation's error, and later invocations then
    /// replay the snippets themselves.
    fn baked_start(&self, interrupt: Option<&Interrupt>) -> Result<Option<&BakedState>, Error> {
        if !self.bakeable {
            return Ok(None);
        }
        if let Some(baked) = self.baked.get() {
            return Ok(baked.as_ref());
        }
        let _one_bake = self
            .baking
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(baked) = self.baked.get() {
            return Ok(baked.as_ref());
        }
        let (state, failure) = match invocation::bake(&self.image, &self.limits, &self.registry, interrupt) {
            Ok(state) => (state, None),
            // Slots run short only for a while: a later invocation bakes.
            Err(e) if found_no_free_slot(&e) => return Err(e),
            Err(e) => (None, Some(e)),
        };
        let baked = self.baked.get_or_init(|| state);
        match failure {
            Some(e) => Err(e),
            None => Ok(baked.as_ref()),
        }
    }
}

/// A Sandbox whose invocations watch an [`Interrupt`], reach per-invocation
/// [`Bindings`], or both; made by [`Sandbox::with_interrupt`] and
/// [`Sandbox::with_bindings`], which chain.
///
/// ```
/// use kobako::{Interrupt, Sandbox};
///
/// let sandbox = Sandbox::builder().timeout(None).build()?;
/// let interrupt = Interrupt::new();
/// let stopper = interrupt.clone();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(50));
///     stopper.interrupt();
/// });
/// let err = sandbox.with_interrupt(&interrupt).eval("loop {}").unwrap_err();
/// assert!(err.is_trap() && err.is_interrupted());
/// assert_eq!(err.ruby_class(), "Kobako::TrapError");
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Scoped<'a> {
    sandbox: &'a Sandbox,
    scope: Scope<'a>,
}

/// What one invocation runs with beside the Sandbox's own setup.
#[derive(Debug, Clone, Copy, Default)]
struct Scope<'a> {
    interrupt: Option<&'a Interrupt>,
    bindings: Option<&'a Bindings>,
}

impl<'a> Scoped<'a> {
    /// The same view, also stopped early once `interrupt` is raised.
    pub fn with_interrupt(mut self, interrupt: &'a Interrupt) -> Self {
        self.scope.interrupt = Some(interrupt);
        self
    }

    /// The same view, also reaching `bindings` (see [`Sandbox::with_bindings`]).
    pub fn with_bindings(mut self, bindings: &'a Bindings) -> Self {
        self.scope.bindings = Some(bindings);
        self
    }

    /// [`Sandbox::eval`] in this scope.
    pub fn eval(&self, source: &str) -> Result<Execution, Error> {
        self.eval_bytes(source.as_bytes())
    }

    /// [`Sandbox::eval_bytes`] in this scope.
    pub fn eval_bytes(&self, source: &[u8]) -> Result<Execution, Error> {
        self.sandbox.invoke(Entry::Eval(eval_source(source)?), self.scope)
    }

    /// [`Sandbox::run`] in this scope.
    pub fn run<K>(&self, target: &str, args: &[Value], kwargs: K) -> Result<Execution, Error>
    where
        K: IntoIterator<Item = (String, Value)>,
    {
        let kwargs: Vec<_> = kwargs.into_iter().collect();
        let entry = Entry::Run {
            target: run_target(target)?,
            args,
            kwargs: &kwargs,
        };
        self.sandbox.invoke(entry, self.scope)
    }
}
