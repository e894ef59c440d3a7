//! The Sandbox: immutable options plus a shared guest image. Each call to
//! `eval` runs in a fresh instance, so one Sandbox serves many threads.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::baked_state::BakedState;
use crate::error::{Error, GuestFailure};
use crate::execution::Execution;
use crate::function_service::{FunctionService, ServiceFn};
use crate::guest_image::GuestImage;
use crate::interrupt::{Interrupt, Interruptible};
use crate::invocation::{self, Entry, Limits};
use crate::registry::{RegistrySlot, Snippet, is_constant_name};
use crate::service::Service;
use crate::value::Value;
use crate::wire::MESSAGE_MAX;

/// Default wall-clock budget of one invocation.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default memory growth allowed above the guest's entry size (1 MiB).
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 20;
/// Default number of stdout (and, separately, stderr) bytes kept (1 MiB).
pub const DEFAULT_OUTPUT_LIMIT: usize = 1 << 20;

/// What the guest's clocks read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Every clock reads the Unix epoch and never advances; runs are
    /// reproducible.
    #[default]
    Hermetic,
    /// Clocks read the host's time.
    Permissive,
}

#[derive(Debug, Clone)]
enum GuestSource {
    Bundled,
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// Options for a [`Sandbox`]; start from [`Sandbox::builder`].
///
/// ```
/// use std::time::Duration;
/// let sandbox = kobako::Sandbox::builder()
///     .timeout(Some(Duration::from_secs(2)))
///     .memory_limit(Some(8 << 20))
///     .build()?;
/// assert_eq!(sandbox.timeout(), Some(Duration::from_secs(2)));
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SandboxBuilder {
    limits: Limits,
    guest: GuestSource,
    problem: Option<String>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            limits: Limits {
                timeout: Some(DEFAULT_TIMEOUT),
                memory_limit: Some(DEFAULT_MEMORY_LIMIT),
                stdout_limit: Some(DEFAULT_OUTPUT_LIMIT),
                stderr_limit: Some(DEFAULT_OUTPUT_LIMIT),
                profile: Profile::Hermetic,
                first_handle_id: 1,
            },
            guest: GuestSource::Bundled,
            problem: None,
        }
    }
}

impl SandboxBuilder {
    fn refuse(mut self, problem: String) -> Self {
        self.problem.get_or_insert(problem);
        self
    }

    /// Wall-clock budget of each invocation; `None` disables it. Must be
    /// greater than zero.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        if timeout == Some(Duration::ZERO) {
            return self
                .refuse("timeout must be greater than zero seconds (got 0); pass None to disable it".into());
        }
        self.limits.timeout = timeout;
        self
    }

    /// Like [`timeout`](Self::timeout), from seconds as a float (the form the
    /// CLI and the Ruby gem take). Refuses NaN, infinities, zero and
    /// negative values.
    pub fn timeout_secs(self, seconds: Option<f64>) -> Self {
        match seconds {
            None => self.timeout(None),
            Some(s) if s.is_finite() && s > 0.0 => match Duration::try_from_secs_f64(s) {
                Ok(d) => self.timeout(Some(d)),
                Err(_) => self.refuse(format!("timeout of {s} seconds is too large")),
            },
            Some(s) => self.refuse(format!(
                "timeout must be a finite number of seconds greater than zero (got {s}); pass None to disable it"
            )),
        }
    }

    /// Sets a byte cap through `set`, refusing 0 with a message naming it.
    fn byte_cap<T: PartialEq + From<u8>>(
        mut self,
        name: &str,
        bytes: Option<T>,
        set: fn(&mut Limits, Option<T>),
    ) -> Self {
        if bytes == Some(T::from(0)) {
            return self.refuse(format!(
                "{name} must be a positive number of bytes (got 0); pass None to disable it"
            ));
        }
        set(&mut self.limits, bytes);
        self
    }

    /// Bytes the guest's memory may grow above its size at entry; `None`
    /// disables the cap. Memory grows in 64 KiB pages, so the usable budget
    /// is this rounded down to whole pages.
    pub fn memory_limit(self, bytes: Option<u64>) -> Self {
        self.byte_cap("memory_limit", bytes, |limits, cap| limits.memory_limit = cap)
    }

    /// Bytes of stdout kept per invocation; the rest is dropped and flagged.
    pub fn stdout_limit(self, bytes: Option<usize>) -> Self {
        self.byte_cap("stdout_limit", bytes, |limits, cap| limits.stdout_limit = cap)
    }

    /// Bytes of stderr kept per invocation; the rest is dropped and flagged.
    pub fn stderr_limit(self, bytes: Option<usize>) -> Self {
        self.byte_cap("stderr_limit", bytes, |limits, cap| limits.stderr_limit = cap)
    }

    /// What the guest's clocks read (hermetic by default).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.limits.profile = profile;
        self
    }

    /// Test hook: the first Capability Handle id of every invocation (1 by
    /// default), so tests can reach the id cap quickly.
    #[doc(hidden)]
    pub fn first_handle_id_for_tests(mut self, id: u32) -> Self {
        self.limits.first_handle_id = id.max(1);
        self
    }

    /// Uses the guest module at `path` instead of the bundled one.
    pub fn guest_wasm_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.guest = GuestSource::File(path.into());
        self
    }

    /// Uses the given guest module bytes instead of the bundled one.
    pub fn guest_wasm_bytes(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.guest = GuestSource::Bytes(bytes.into());
        self
    }

    /// Checks the options and loads the guest. The bundled guest is compiled
    /// once per process; later Sandboxes reuse it.
    pub fn build(self) -> Result<Sandbox, Error> {
        if let Some(problem) = self.problem {
            return Err(Error::usage(problem));
        }
        let image = match &self.guest {
            GuestSource::Bundled => GuestImage::bundled()?,
            GuestSource::File(path) => Arc::new(GuestImage::from_file(path)?),
            GuestSource::Bytes(bytes) => Arc::new(GuestImage::from_bytes(bytes)?),
        };
        Ok(Sandbox {
            limits: self.limits,
            image,
            registry: RegistrySlot::default(),
            baked: OnceLock::new(),
        })
    }
}

/// Runs untrusted Ruby in a fresh WebAssembly instance per invocation.
///
/// A Sandbox holds only configuration: it is `Send + Sync`, and concurrent
/// calls from many threads are independent.
///
/// ```
/// let sandbox = kobako::Sandbox::new()?;
/// let run = sandbox.eval("[1, 2, 3].sum")?;
/// assert_eq!(run.value().as_int(), Some(6));
/// # Ok::<(), kobako::Error>(())
/// ```
pub struct Sandbox {
    limits: Limits,
    image: Arc<GuestImage>,
    registry: RegistrySlot,
    /// The state invocations start from, once the first one has baked it
    /// (`None`: each invocation binds and replays by itself).
    baked: OnceLock<Option<BakedState>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts building a Sandbox with the default options.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// A Sandbox with the default options and the bundled guest.
    pub fn new() -> Result<Sandbox, Error> {
        Sandbox::builder().build()
    }

    /// Evaluates Ruby source; the value is that of the last expression.
    pub fn eval(&self, source: &str) -> Result<Execution, Error> {
        self.eval_bytes(source.as_bytes())
    }

    /// Like [`eval`](Self::eval) for source that has not been checked yet:
    /// bytes that are not UTF-8 are refused before the guest starts.
    pub fn eval_bytes(&self, source: &[u8]) -> Result<Execution, Error> {
        self.eval_source(source, None)
    }

    /// A view of this Sandbox whose invocations stop (with
    /// [`Error::Trap`]) once `interrupt` is raised from another thread.
    pub fn with_interrupt<'a>(&'a self, interrupt: &'a Interrupt) -> Interruptible<'a> {
        Interruptible {
            sandbox: self,
            interrupt,
        }
    }

    pub(crate) fn eval_source(
        &self,
        source: &[u8],
        interrupt: Option<&Interrupt>,
    ) -> Result<Execution, Error> {
        if source.len() > MESSAGE_MAX {
            return Err(Error::Sandbox(Box::new(GuestFailure::preflight(format!(
                "source is {} bytes, larger than the 16 MiB limit",
                source.len()
            )))));
        }
        let source = std::str::from_utf8(source).map_err(|e| {
            Error::Sandbox(Box::new(GuestFailure::preflight(format!(
                "source is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ))))
        })?;
        self.invoke(Entry::Eval(source), interrupt)
    }

    /// Calls the entrypoint `target` (a top-level constant the preloaded
    /// snippets define, which responds to `call`) with `args`; non-empty
    /// `kwargs` arrive as one trailing Hash with Symbol keys. Host objects
    /// in the arguments reach the guest as Capability Handles.
    ///
    /// ```
    /// let sandbox = kobako::Sandbox::new()?;
    /// sandbox.preload_source("Adder", "Adder = ->(a, b) { a + b }")?;
    /// let run = sandbox.run("Adder", &[2.into(), 3.into()], &[])?;
    /// assert_eq!(run.value().as_int(), Some(5));
    /// # Ok::<(), kobako::Error>(())
    /// ```
    pub fn run(&self, target: &str, args: &[Value], kwargs: &[(String, Value)]) -> Result<Execution, Error> {
        self.run_entry(target, args, kwargs, None)
    }

    pub(crate) fn run_entry(
        &self,
        target: &str,
        args: &[Value],
        kwargs: &[(String, Value)],
        interrupt: Option<&Interrupt>,
    ) -> Result<Execution, Error> {
        if !is_constant_name(target) {
            return Err(Error::usage(format!(
                "run target {target:?} must be a top-level constant name (an ASCII capital letter, then letters, digits or underscores)"
            )));
        }
        self.invoke(Entry::Run { target, args, kwargs }, interrupt)
    }

    /// Seals the services and snippets, bakes them at the first invocation,
    /// and runs `entry` in a fresh instance.
    fn invoke(&self, entry: Entry<'_>, interrupt: Option<&Interrupt>) -> Result<Execution, Error> {
        let registry = self
            .registry
            .seal(|bytecode| invocation::check_bytecode(&self.image, &self.limits, bytecode));
        let mut bake_failure = None;
        let baked = self.baked.get_or_init(|| {
            // Permissive clocks and entropy differ per invocation, so the
            // snippets' top level must see them afresh each time.
            let nothing_to_bake = registry.paths.is_empty() && registry.snippets.is_empty();
            if nothing_to_bake
                || registry.bytecode_problem.is_some()
                || self.limits.profile == Profile::Permissive
            {
                return None;
            }
            invocation::bake(&self.image, &self.limits, registry.clone(), interrupt).unwrap_or_else(|e| {
                bake_failure = Some(e);
                None
            })
        });
        if let Some(failure) = bake_failure {
            return Err(failure);
        }
        invocation::invoke(
            &self.image,
            &self.limits,
            registry,
            baked.as_ref(),
            entry,
            interrupt,
        )
    }

    /// Preloads Ruby source that every invocation runs (in insertion order)
    /// before its own work, typically defining entrypoints. It is compiled
    /// now, once; a syntax error is reported here, naming `(snippet:NAME)`
    /// and the line.
    pub fn preload_source(&self, name: &str, source: &str) -> Result<(), Error> {
        if !is_constant_name(name) {
            return Err(Error::usage(format!(
                "snippet name {name:?} must start with an ASCII capital letter and contain only ASCII letters, digits and underscores"
            )));
        }
        if source.len() > MESSAGE_MAX {
            return Err(Error::usage(format!(
                "snippet {name} is {} bytes, over the 16 MiB limit",
                source.len()
            )));
        }
        let bytecode = self.compile(name, source)?;
        self.registry.add_snippet(Snippet {
            name: Some(name.to_owned()),
            bytecode,
        })
    }

    /// Preloads mruby 4.0 bytecode (a RITE binary, as `mrbc` or
    /// `kobako compile` writes it). It is checked when an invocation loads
    /// it: bad bytecode makes every invocation fail with `Error::Bytecode`.
    pub fn preload_bytecode(&self, bytecode: impl Into<Vec<u8>>) -> Result<(), Error> {
        let bytecode = bytecode.into();
        if bytecode.len() > MESSAGE_MAX {
            return Err(Error::usage(format!(
                "bytecode is {} bytes, over the 16 MiB limit",
                bytecode.len()
            )));
        }
        self.registry.add_snippet(Snippet { name: None, bytecode })
    }

    /// Compiles Ruby source to mruby bytecode with the guest's own compiler,
    /// for [`preload_bytecode`](Self::preload_bytecode) or storage.
    pub fn compile(&self, name: &str, source: &str) -> Result<Vec<u8>, Error> {
        invocation::compile(
            &self.image,
            &Limits {
                memory_limit: None,
                ..self.limits
            },
            name,
            source,
        )
    }

    /// Binds a service object at `path` (`"Namespace::Member"`, each segment
    /// a constant name). The guest reaches it as that constant in every
    /// invocation. Binding is only possible before the first invocation.
    pub fn service(&self, path: &str, service: impl Service) -> Result<(), Error> {
        self.registry.register(path, Arc::new(service))
    }

    /// Binds a shared service object at `path`; see [`service`](Self::service).
    pub fn service_arc(&self, path: &str, service: Arc<dyn Service>) -> Result<(), Error> {
        self.registry.register(path, service)
    }

    /// Binds a Rust function at `path`: the guest calls it as
    /// `Path.call(args...)`. Arguments and the result convert through serde.
    ///
    /// ```
    /// let sandbox = kobako::Sandbox::new()?;
    /// sandbox.service_fn("Math::Add", |a: i64, b: i64| a + b)?;
    /// assert_eq!(sandbox.eval("Math::Add.call(2, 40)")?.value().as_int(), Some(42));
    /// # Ok::<(), kobako::Error>(())
    /// ```
    pub fn service_fn<Args, Returns, F>(&self, path: &str, function: F) -> Result<(), Error>
    where
        F: ServiceFn<Args, Returns>,
        Args: 'static,
        Returns: 'static,
    {
        self.registry
            .register(path, Arc::new(FunctionService::new(function)))
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
}
