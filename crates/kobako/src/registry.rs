//! What a Sandbox sets up for its invocations: services bound at paths like
//! `"KV::Store"`, and preloaded snippets. A builder collects and checks
//! them; building seals them into the registry every invocation shares.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use crate::error::Error;
use crate::extension::Provider;
use crate::unfilled::Unfilled;
use crate::value::Service;
use crate::wire::MESSAGE_MAX;

/// The sealed services and snippets, shared by every invocation of one
/// Sandbox.
#[derive(Default)]
pub(crate) struct Registry {
    by_path: HashMap<String, Arc<dyn Service>>,
    /// Paths in registration order, as the guest defines them.
    pub(crate) paths: Vec<String>,
    /// Snippets in insertion order, as bytecode.
    pub(crate) snippets: Vec<Vec<u8>>,
    /// Why preloaded bytecode cannot load (found when sealing); every
    /// invocation then fails with it.
    pub(crate) bytecode_problem: Option<String>,
    /// Extension backends made afresh for each invocation, by path.
    pub(crate) providers: Vec<(String, Provider)>,
}

impl Registry {
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<dyn Service>> {
        self.by_path.get(path)
    }

    /// True when there is nothing to bind or replay.
    pub(crate) fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.snippets.is_empty()
    }
}

/// One snippet as it was preloaded.
#[derive(Clone)]
enum Snippet {
    /// Ruby source, compiled when the registry is sealed.
    Source { name: String, source: String },
    /// mruby bytecode, checked when the registry is sealed.
    Bytecode(Vec<u8>),
}

/// The services and snippets of a Sandbox being built, each checked as it
/// is added.
#[derive(Clone, Default)]
pub(crate) struct Registrations {
    services: Vec<(String, Arc<dyn Service>)>,
    snippets: Vec<Snippet>,
    providers: Vec<(String, Provider)>,
}

impl fmt::Debug for Registrations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paths: Vec<&str> = self.services.iter().map(|(path, _)| path.as_str()).collect();
        f.debug_struct("Registrations")
            .field("services", &paths)
            .field("snippets", &self.snippets.len())
            .finish()
    }
}

/// True for a constant name the guest can use: `/\A[A-Z]\w*\z/` (ASCII).
pub(crate) fn is_constant_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'A'..=b'Z')) && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Checks a service path: two constant-name segments, not under `Kobako`.
pub(crate) fn check_service_path(path: &str) -> Result<(), Error> {
    let segments: Vec<&str> = path.split("::").collect();
    let [namespace, member] = segments.as_slice() else {
        return Err(Error::misuse(format!(
            "service path {path:?} must have exactly two segments, like \"KV::Store\""
        )));
    };
    for segment in [namespace, member] {
        if !is_constant_name(segment) {
            return Err(Error::misuse(format!(
                "service path {path:?}: segment {segment:?} must start with an ASCII capital letter and contain only ASCII letters, digits and underscores"
            )));
        }
    }
    if *namespace == "Kobako" {
        return Err(Error::misuse(format!(
            "service path {path:?}: the namespace Kobako is reserved"
        )));
    }
    Ok(())
}

impl Registrations {
    /// Binds `service` at `path`, or explains why it cannot.
    pub(crate) fn add_service(&mut self, path: &str, service: Arc<dyn Service>) -> Result<(), Error> {
        check_service_path(path)?;
        if self.services.iter().any(|(bound, _)| bound == path) {
            return Err(Error::misuse(format!(
                "{path} is already bound; the first binding stays"
            )));
        }
        self.services.push((path.to_owned(), service));
        Ok(())
    }

    /// Declares `path` for a provider that makes its service for each
    /// invocation.
    pub(crate) fn add_provider(&mut self, path: &str, provider: Provider) -> Result<(), Error> {
        let unfilled = Unfilled {
            path: path.to_owned(),
        };
        self.add_service(path, Arc::new(unfilled))?;
        self.providers.push((path.to_owned(), provider));
        Ok(())
    }

    /// Adds a named source snippet, unless the name is unusable or taken or
    /// the source is over 16 MiB.
    pub(crate) fn add_source(&mut self, name: &str, source: &str) -> Result<(), Error> {
        if !is_constant_name(name) {
            return Err(Error::misuse(format!(
                "snippet name {name:?} must start with an ASCII capital letter and contain only ASCII letters, digits and underscores"
            )));
        }
        if source.len() > MESSAGE_MAX {
            return Err(Error::misuse(format!(
                "snippet {name} is {} bytes, over the 16 MiB limit",
                source.len()
            )));
        }
        let taken = self
            .snippets
            .iter()
            .any(|s| matches!(s, Snippet::Source { name: other, .. } if other == name));
        if taken {
            return Err(Error::misuse(format!(
                "a snippet named {name} is already preloaded"
            )));
        }
        self.snippets.push(Snippet::Source {
            name: name.to_owned(),
            source: source.to_owned(),
        });
        Ok(())
    }

    /// Adds a bytecode snippet, unless it is over 16 MiB.
    pub(crate) fn add_bytecode(&mut self, bytecode: Vec<u8>) -> Result<(), Error> {
        if bytecode.len() > MESSAGE_MAX {
            return Err(Error::misuse(format!(
                "bytecode is {} bytes, over the 16 MiB limit",
                bytecode.len()
            )));
        }
        self.snippets.push(Snippet::Bytecode(bytecode));
        Ok(())
    }

    /// Seals the registrations: source snippets are compiled with `compile`
    /// (the first failure is the result), the snippet table must stay
    /// within 16 MiB, and bytecode snippets are loaded once with `check`.
    pub(crate) fn seal(
        self,
        compile: impl Fn(&str, &str) -> Result<Vec<u8>, Error>,
        check: impl Fn(&[u8]) -> Option<String>,
    ) -> Result<Registry, Error> {
        let mut registry = Registry::default();
        let mut total = 0;
        for (index, snippet) in self.snippets.into_iter().enumerate() {
            let (label, bytecode) = match snippet {
                Snippet::Source { name, source } => {
                    let bytecode = compile(&name, &source)?;
                    (name, bytecode)
                }
                Snippet::Bytecode(bytecode) => {
                    if registry.bytecode_problem.is_none() {
                        registry.bytecode_problem = check(&bytecode).map(|problem| {
                            problem.replacen("snippet #1", &format!("snippet #{}", index + 1), 1)
                        });
                    }
                    ("bytecode".to_owned(), bytecode)
                }
            };
            total += bytecode.len();
            if total > MESSAGE_MAX {
                return Err(Error::misuse(format!(
                    "cannot preload {label}: the snippet table would be {total} bytes, over the 16 MiB limit"
                )));
            }
            registry.snippets.push(bytecode);
        }
        for (path, service) in self.services {
            registry.paths.push(path.clone());
            registry.by_path.insert(path, service);
        }
        registry.providers = self.providers;
        Ok(registry)
    }
}
