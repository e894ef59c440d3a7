//! Extensions: a capability packaged as Ruby source the guest runs and an
//! optional host backend at a service path, shared by every invocation or
//! made afresh for each by a provider.

use std::fmt;
use std::sync::Arc;

use crate::value::Service;

/// Makes the backend object of one invocation.
pub(crate) type Provider = Arc<dyn Fn() -> Arc<dyn Service> + Send + Sync>;

/// The host half of an [`Extension`].
#[derive(Clone)]
pub(crate) enum Backend {
    /// One object every invocation shares.
    Shared(String, Arc<dyn Service>),
    /// A fresh object for each invocation, so state one run writes never
    /// reaches the next.
    Provided(String, Provider),
}

/// A capability for scripts: Ruby source preloaded as a snippet (its pure
/// methods run in the guest) and an optional backend it calls at a service
/// path. Install it with
/// [`SandboxBuilder::install`](crate::SandboxBuilder::install).
///
/// ```
/// use std::sync::atomic::{AtomicI64, Ordering};
/// use kobako::{Call, Extension, Fault, Sandbox, Service, Value};
///
/// #[derive(Default)]
/// struct Counter(AtomicI64);
/// impl Service for Counter {
///     fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
///         Ok(Value::Int(self.0.fetch_add(1, Ordering::SeqCst) + 1))
///     }
/// }
///
/// let source = "module Tally; def self.twice = [Tally::Host.bump, Tally::Host.bump]; end";
/// let tally = Extension::new("Tally", source).with_provider("Tally::Host", Counter::default);
/// let mut builder = Sandbox::builder();
/// builder.install(tally)?;
/// let sandbox = builder.build()?;
/// assert_eq!(sandbox.eval("Tally.twice")?.value().to_string(), "[1, 2]");
/// // Each invocation gets a fresh counter.
/// assert_eq!(sandbox.eval("Tally.twice")?.value().to_string(), "[1, 2]");
/// # Ok::<(), kobako::Error>(())
/// ```
#[derive(Clone)]
pub struct Extension {
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) backend: Option<Backend>,
}

impl fmt::Debug for Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let backend = match &self.backend {
            None => "none".to_owned(),
            Some(Backend::Shared(path, _)) => format!("object at {path}"),
            Some(Backend::Provided(path, _)) => format!("provider at {path}"),
        };
        f.debug_struct("Extension")
            .field("name", &self.name)
            .field("backend", &backend)
            .finish()
    }
}

impl Extension {
    /// An extension whose guest half is `source`, preloaded as the snippet
    /// `name`.
    pub fn new(name: &str, source: &str) -> Self {
        Extension {
            name: name.to_owned(),
            source: source.to_owned(),
            backend: None,
        }
    }

    /// Backs it with one `service` at `path`, shared by every invocation.
    pub fn with_object(mut self, path: &str, service: impl Service) -> Self {
        self.backend = Some(Backend::Shared(path.to_owned(), Arc::new(service)));
        self
    }

    /// Backs it with a service `provider` makes for each invocation.
    pub fn with_provider<S: Service>(
        mut self,
        path: &str,
        provider: impl Fn() -> S + Send + Sync + 'static,
    ) -> Self {
        let provider: Provider = Arc::new(move || Arc::new(provider()) as Arc<dyn Service>);
        self.backend = Some(Backend::Provided(path.to_owned(), provider));
        self
    }
}
