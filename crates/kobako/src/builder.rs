//! Options for a Sandbox and the services and snippets it serves; `build`
//! checks them, loads the guest and seals the registry.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::extension::{Backend, Extension};
use crate::function_service::{FunctionService, ServiceFn};
use crate::guest_image::GuestImage;
use crate::invocation;
use crate::limits::{DEFAULT_POOL_SIZE, Limits, Profile, positive_limit};
use crate::module_cache::ModuleCache;
use crate::registry::Registrations;
use crate::sandbox::Sandbox;
use crate::unfilled::Unfilled;
use crate::value::Service;

#[derive(Debug, Clone)]
enum GuestSource {
    Bundled,
    File(PathBuf),
    Bytes(Vec<u8>),
}

/// Options for a [`Sandbox`], and the services and snippets it serves;
/// start from [`Sandbox::builder`].
///
/// Options chain by value; services and snippets are added through
/// `&mut self` and each addition is checked at once. [`build`](Self::build)
/// compiles the snippets and seals everything: a Sandbox cannot gain
/// services or snippets later.
///
/// ```
/// use std::time::Duration;
/// let mut builder = kobako::Sandbox::builder()
///     .timeout(Some(Duration::from_secs(2)))
///     .memory_limit(Some(8 << 20));
/// builder.service_fn("Math::Add", |a: i64, b: i64| a + b)?;
/// builder.preload_source("Double", "Double = ->(n) { Math::Add.call(n, n) }")?;
/// let sandbox = builder.build()?;
/// assert_eq!(sandbox.timeout(), Some(Duration::from_secs(2)));
/// assert_eq!(sandbox.run("Double", &[21.into()], [])?.value().as_int(), Some(42));
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SandboxBuilder {
    limits: Limits,
    guest: GuestSource,
    module_cache: ModuleCache,
    pool_size: u32,
    registrations: Registrations,
    problem: Option<String>,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            limits: Limits::default(),
            guest: GuestSource::Bundled,
            module_cache: ModuleCache::default(),
            pool_size: DEFAULT_POOL_SIZE,
            registrations: Registrations::default(),
            problem: None,
        }
    }
}

impl Sandbox {
    /// Starts building a Sandbox with the default options.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// A Sandbox with the default options, the bundled guest, and no
    /// services or snippets.
    pub fn new() -> Result<Sandbox, Error> {
        Sandbox::builder().build()
    }
}

impl SandboxBuilder {
    /// Keeps the first problem with the options; `build` reports it.
    fn checked<T>(mut self, checked: Result<T, String>, set: impl FnOnce(&mut Self, T)) -> Self {
        match checked {
            Ok(value) => set(&mut self, value),
            Err(problem) => {
                self.problem.get_or_insert(problem);
            }
        }
        self
    }

    /// Wall-clock budget of each invocation; `None` disables it. Must be
    /// greater than zero; one too long for the clock to represent never
    /// fires.
    pub fn timeout(self, timeout: Option<Duration>) -> Self {
        let checked = positive_limit("timeout", "duration", timeout);
        self.checked(checked, |b, timeout| b.limits.timeout = timeout)
    }

    /// Like [`timeout`](Self::timeout), from seconds as a float (the form the
    /// CLI and the Ruby gem take). Refuses NaN, infinities, zero and
    /// negative values.
    pub fn timeout_secs(self, seconds: Option<f64>) -> Self {
        let checked = positive_limit("timeout", "finite number of seconds", seconds).and_then(|s| {
            s.map(|s| {
                Duration::try_from_secs_f64(s).map_err(|_| format!("timeout of {s} seconds is too large"))
            })
            .transpose()
        });
        self.checked(checked, |b, timeout| b.limits.timeout = timeout)
    }

    /// Bytes the guest's memory may grow above its size at entry; `None`
    /// disables the cap. Memory grows in 64 KiB pages, so the usable budget
    /// is this rounded down to whole pages.
    pub fn memory_limit(self, bytes: Option<u64>) -> Self {
        let checked = positive_limit("memory_limit", "number of bytes", bytes);
        self.checked(checked, |b, cap| b.limits.memory_limit = cap)
    }

    /// Bytes of stdout kept per invocation; the rest is dropped and flagged.
    pub fn stdout_limit(self, bytes: Option<usize>) -> Self {
        let checked = positive_limit("stdout_limit", "number of bytes", bytes);
        self.checked(checked, |b, cap| b.limits.stdout_limit = cap)
    }

    /// Bytes of stderr kept per invocation; the rest is dropped and flagged.
    pub fn stderr_limit(self, bytes: Option<usize>) -> Self {
        let checked = positive_limit("stderr_limit", "number of bytes", bytes);
        self.checked(checked, |b, cap| b.limits.stderr_limit = cap)
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

    /// Where compiled guests are cached on disk (Unix only): `Some(dir)`, or
    /// `None` for no cache. The default is `$KOBAKO_CACHE_DIR` (`off` turns
    /// it off), else `$XDG_CACHE_HOME/kobako`, else `~/.cache/kobako`. The
    /// bundled guest is compiled once per process, with the first setting.
    pub fn module_cache(mut self, dir: Option<PathBuf>) -> Self {
        self.module_cache = dir.map_or(ModuleCache::Off, ModuleCache::Dir);
        self
    }

    /// Instances the engine keeps pooled slots for: the most invocations of
    /// Sandboxes with this pool size in flight at once (default
    /// [`DEFAULT_POOL_SIZE`](crate::DEFAULT_POOL_SIZE), at least 2, since
    /// building a Sandbox compares two instances). Each pool size has its own
    /// engine and compiled guest; an invocation that finds every slot taken
    /// ends in a trap that says so.
    pub fn pool_size(self, instances: u32) -> Self {
        let checked = if instances < 2 {
            Err(format!(
                "pool_size must be at least 2 (got {instances}): building a Sandbox runs two instances at once"
            ))
        } else {
            Ok(instances)
        };
        self.checked(checked, |b, size| b.pool_size = size)
    }

    /// Binds a service object at `path` (`"Namespace::Member"`, each segment
    /// a constant name). The guest reaches it as that constant in every
    /// invocation. A path that is malformed or already bound is refused.
    pub fn service(&mut self, path: &str, service: impl Service) -> Result<&mut Self, Error> {
        self.service_arc(path, Arc::new(service))
    }

    /// Installs an [`Extension`]: preloads its source and binds its backend
    /// (shared, or made afresh for each invocation by its provider). On an
    /// error nothing of it is installed.
    pub fn install(&mut self, extension: Extension) -> Result<&mut Self, Error> {
        let mut registrations = self.registrations.clone();
        registrations.add_source(&extension.name, &extension.source)?;
        match extension.backend {
            None => {}
            Some(Backend::Shared(path, service)) => registrations.add_service(&path, service)?,
            Some(Backend::Provided(path, provider)) => registrations.add_provider(&path, provider)?,
        }
        self.registrations = registrations;
        Ok(self)
    }

    /// Declares `path` without a service: the guest has the constant, and
    /// each invocation fills it through [`Bindings`](crate::Bindings) (a
    /// call in an invocation that did not is a `undefined` fault).
    pub fn declare(&mut self, path: &str) -> Result<&mut Self, Error> {
        let unfilled = Unfilled {
            path: path.to_owned(),
        };
        self.registrations.add_service(path, Arc::new(unfilled))?;
        Ok(self)
    }

    /// Binds a shared service object at `path`; see [`service`](Self::service).
    pub fn service_arc(&mut self, path: &str, service: Arc<dyn Service>) -> Result<&mut Self, Error> {
        self.registrations.add_service(path, service)?;
        Ok(self)
    }

    /// Binds a Rust function at `path`: the guest calls it as
    /// `Path.call(args...)`. Arguments and the result convert through serde.
    ///
    /// ```
    /// let mut builder = kobako::Sandbox::builder();
    /// builder.service_fn("Math::Add", |a: i64, b: i64| a + b)?;
    /// let sandbox = builder.build()?;
    /// assert_eq!(sandbox.eval("Math::Add.call(2, 40)")?.value().as_int(), Some(42));
    /// # Ok::<(), kobako::Error>(())
    /// ```
    pub fn service_fn<Args: 'static, Returns: 'static>(
        &mut self,
        path: &str,
        function: impl ServiceFn<Args, Returns>,
    ) -> Result<&mut Self, Error> {
        self.service_arc(path, FunctionService::shared(function))
    }

    /// Preloads Ruby source that every invocation runs (in insertion order)
    /// before its own work, typically defining entrypoints. The name must be
    /// a constant name not used yet; the source is compiled by
    /// [`build`](Self::build), which reports a syntax error naming
    /// `(snippet:NAME)` and the line.
    pub fn preload_source(&mut self, name: &str, source: &str) -> Result<&mut Self, Error> {
        self.registrations.add_source(name, source)?;
        Ok(self)
    }

    /// Preloads mruby 4.0 bytecode (a RITE binary, as `mrbc` or
    /// `kobako compile` writes it). [`build`](Self::build) loads it once:
    /// bad bytecode makes every invocation fail with a Bytecode error.
    pub fn preload_bytecode(&mut self, bytecode: impl Into<Vec<u8>>) -> Result<&mut Self, Error> {
        self.registrations.add_bytecode(bytecode.into())?;
        Ok(self)
    }

    /// Checks the options, loads the guest, compiles the snippets and seals
    /// the services and snippets. The bundled guest is compiled once per
    /// process (and pool size); later Sandboxes reuse it.
    pub fn build(self) -> Result<Sandbox, Error> {
        if let Some(problem) = self.problem {
            return Err(Error::misuse(problem));
        }
        self.module_cache.check().map_err(Error::misuse)?;
        let (pool, cache) = (self.pool_size, &self.module_cache);
        let image = match &self.guest {
            GuestSource::Bundled => GuestImage::bundled(pool, cache)?,
            GuestSource::File(path) => Arc::new(GuestImage::from_file(path, pool, cache)?),
            GuestSource::Bytes(bytes) => Arc::new(GuestImage::from_bytes(bytes, pool, cache)?),
        };
        let limits = self.limits;
        let registry = self.registrations.seal(
            |name, source| invocation::compile(&image, &limits, name, source),
            |bytecode| invocation::check_bytecode(&image, &limits, bytecode),
        )?;
        Ok(Sandbox::new_sealed(limits, image, Arc::new(registry)))
    }
}
