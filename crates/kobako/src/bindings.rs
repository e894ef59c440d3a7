//! Services bound for one invocation only: they fill the paths a Sandbox
//! declared (`SandboxBuilder::declare`) or shadow the ones it bound, so a
//! host can hand each run its own request, user or tenant.

use std::collections::HashMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use crate::error::Error;
use crate::function_service::{FunctionService, ServiceFn};
use crate::registry::{Registry, check_service_path};
use crate::unfilled::Unfilled;
use crate::value::Service;

/// Services for one invocation, by path; pass them with
/// [`Sandbox::with_bindings`](crate::Sandbox::with_bindings).
///
/// ```
/// use kobako::{Bindings, Sandbox};
///
/// let mut builder = Sandbox::builder();
/// builder.declare("Req::User")?;
/// let sandbox = builder.build()?;
/// let mut bindings = Bindings::new();
/// bindings.service_fn("Req::User", || "ann".to_owned())?;
/// let run = sandbox.with_bindings(&bindings).eval("Req::User.call")?;
/// assert_eq!(run.value().as_str(), Some("ann"));
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Bindings {
    by_path: HashMap<String, Arc<dyn Service>>,
}

impl fmt::Debug for Bindings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut paths: Vec<&str> = self.by_path.keys().map(String::as_str).collect();
        paths.sort_unstable();
        f.debug_struct("Bindings").field("paths", &paths).finish()
    }
}

impl Bindings {
    /// No bindings yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `service` at `path` (`"Namespace::Member"`) for the invocations
    /// these bindings go with; binding a path again replaces it.
    pub fn service(&mut self, path: &str, service: impl Service) -> Result<&mut Self, Error> {
        self.service_arc(path, Arc::new(service))
    }

    /// [`service`](Self::service) for a service the host shares.
    pub fn service_arc(&mut self, path: &str, service: Arc<dyn Service>) -> Result<&mut Self, Error> {
        check_service_path(path)?;
        self.by_path.insert(path.to_owned(), service);
        Ok(self)
    }

    /// Binds a Rust function at `path`, as
    /// [`SandboxBuilder::service_fn`](crate::SandboxBuilder::service_fn) does.
    pub fn service_fn<Args: 'static, Returns: 'static>(
        &mut self,
        path: &str,
        function: impl ServiceFn<Args, Returns>,
    ) -> Result<&mut Self, Error> {
        self.service_arc(path, FunctionService::shared(function))
    }

    /// The bindings of one invocation: a service from each of the registry's
    /// providers, then `given` on top; `None` when there are neither.
    pub(crate) fn for_invocation(registry: &Registry, given: Option<&Bindings>) -> Option<Bindings> {
        if registry.providers.is_empty() {
            return given.cloned();
        }
        let mut bindings = Bindings::new();
        for (path, provider) in &registry.providers {
            // A provider that panics leaves its path failing for this
            // invocation instead of unwinding into the caller.
            let made = std::panic::catch_unwind(AssertUnwindSafe(|| provider()));
            let service = made.unwrap_or_else(|_| Arc::new(Unfilled { path: path.clone() }));
            bindings.by_path.insert(path.clone(), service);
        }
        if let Some(given) = given {
            bindings
                .by_path
                .extend(given.by_path.iter().map(|(p, s)| (p.clone(), s.clone())));
        }
        Some(bindings)
    }

    /// The service bound at `path`, if any.
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<dyn Service>> {
        self.by_path.get(path)
    }

    /// Refuses a path the Sandbox neither declared nor bound: the guest has
    /// no constant for it.
    pub(crate) fn check_against(&self, registry: &Registry) -> Result<(), Error> {
        let mut unknown: Vec<&str> = self
            .by_path
            .keys()
            .filter(|path| registry.get(path).is_none())
            .map(String::as_str)
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        unknown.sort_unstable();
        Err(Error::misuse(format!(
            "cannot bind {} for one invocation: the Sandbox neither declared nor bound it; declare it first (Rust: SandboxBuilder::declare, Ruby: Sandbox#bind with no object)",
            unknown.join(", ")
        )))
    }
}
