//! What a Sandbox sets up before its first invocation: services bound at
//! paths like `"KV::Store"`, and preloaded snippets. Open until the first
//! invocation, sealed after.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::error::Error;
use crate::service::Service;
use crate::wire::MESSAGE_MAX;

/// A sealed registry, shared by every invocation of one Sandbox.
#[derive(Default)]
pub(crate) struct Registry {
    by_path: HashMap<String, Arc<dyn Service>>,
    /// Paths in registration order, as the guest defines them.
    pub(crate) paths: Vec<String>,
    /// Snippets in insertion order, as bytecode.
    pub(crate) snippets: Vec<Snippet>,
    /// Why preloaded bytecode cannot load (found when sealing); every
    /// invocation then fails with it.
    pub(crate) bytecode_problem: Option<String>,
}

/// One preloaded snippet.
pub(crate) struct Snippet {
    /// The name of a source snippet; `None` for bytecode given as such.
    pub(crate) name: Option<String>,
    pub(crate) bytecode: Vec<u8>,
}

impl Registry {
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<dyn Service>> {
        self.by_path.get(path)
    }
}

/// The registry of one Sandbox: open, then sealed by the first invocation.
#[derive(Default)]
pub(crate) struct RegistrySlot {
    open: Mutex<Option<Registry>>,
    sealed: OnceLock<Arc<Registry>>,
}

/// True for a constant name the guest can use: `/\A[A-Z]\w*\z/` (ASCII).
pub(crate) fn is_constant_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'A'..=b'Z')) && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl RegistrySlot {
    /// Binds `service` at `path`, or explains why it cannot.
    pub(crate) fn register(&self, path: &str, service: Arc<dyn Service>) -> Result<(), Error> {
        let segments: Vec<&str> = path.split("::").collect();
        let [namespace, member] = segments.as_slice() else {
            return Err(Error::usage(format!(
                "service path {path:?} must have exactly two segments, like \"KV::Store\""
            )));
        };
        for segment in [namespace, member] {
            if !is_constant_name(segment) {
                return Err(Error::usage(format!(
                    "service path {path:?}: segment {segment:?} must start with an ASCII capital letter and contain only ASCII letters, digits and underscores"
                )));
            }
        }
        if *namespace == "Kobako" {
            return Err(Error::usage(format!(
                "service path {path:?}: the namespace Kobako is reserved"
            )));
        }
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.sealed.get().is_some() {
            return Err(Error::usage(format!(
                "cannot bind {path}: the sandbox is sealed (services must be bound before the first invocation)"
            )));
        }
        let registry = open.get_or_insert_with(Registry::default);
        if registry.by_path.contains_key(path) {
            return Err(Error::usage(format!(
                "{path} is already bound; the first binding stays"
            )));
        }
        registry.by_path.insert(path.to_owned(), service);
        registry.paths.push(path.to_owned());
        Ok(())
    }

    /// Appends a snippet, unless the table is sealed, the name is taken, or
    /// the table would pass 16 MiB.
    pub(crate) fn add_snippet(&self, snippet: Snippet) -> Result<(), Error> {
        let label = snippet.name.clone().unwrap_or_else(|| "bytecode".into());
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.sealed.get().is_some() {
            return Err(Error::usage(format!(
                "cannot preload {label}: the sandbox is sealed (snippets must be preloaded before the first invocation)"
            )));
        }
        let registry = open.get_or_insert_with(Registry::default);
        if let Some(name) = &snippet.name
            && registry.snippets.iter().any(|s| s.name.as_ref() == Some(name))
        {
            return Err(Error::usage(format!(
                "a snippet named {name} is already preloaded"
            )));
        }
        let total: usize =
            registry.snippets.iter().map(|s| s.bytecode.len()).sum::<usize>() + snippet.bytecode.len();
        if total > MESSAGE_MAX {
            return Err(Error::usage(format!(
                "cannot preload {label}: the snippet table would be {total} bytes, over the 16 MiB limit"
            )));
        }
        registry.snippets.push(snippet);
        Ok(())
    }

    /// Seals the registry (idempotent) and returns the sealed contents.
    /// Bytecode snippets are loaded once with `check` as they are sealed.
    pub(crate) fn seal(&self, check: impl Fn(&[u8]) -> Option<String>) -> Arc<Registry> {
        if let Some(sealed) = self.sealed.get() {
            return sealed.clone();
        }
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let seal = || {
            let mut registry = open.take().unwrap_or_default();
            registry.bytecode_problem = registry
                .snippets
                .iter()
                .enumerate()
                .filter(|(_, snippet)| snippet.name.is_none())
                .find_map(|(i, snippet)| {
                    let problem = check(&snippet.bytecode)?;
                    Some(problem.replacen("snippet #1", &format!("snippet #{}", i + 1), 1))
                });
            Arc::new(registry)
        };
        self.sealed.get_or_init(seal).clone()
    }
}
