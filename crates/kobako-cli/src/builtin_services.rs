//! The built-in services a manifest can enable: binding them to a sandbox,
//! and describing them for a script's author.

use kobako::Sandbox;

use crate::data_service::{self, DataFiles};
use crate::http_service::{self, HttpClient};
use crate::kv_store::{self, KvStore};
use crate::manifest::Manifest;
use crate::service_doc::ServiceDoc;

/// Binds each service the manifest enables (`KV::Store`, `HTTP::Client`,
/// `Data::Files`); the error says which could not be set up.
pub(crate) fn bind(sandbox: &Sandbox, manifest: &Manifest) -> Result<(), String> {
    let bound = |result: Result<(), kobako::Error>| result.map_err(|e| e.to_string());
    if let Some(path) = &manifest.kv {
        bound(sandbox.service("KV::Store", KvStore::open(path)?))?;
    }
    if let Some(config) = &manifest.http {
        bound(sandbox.service("HTTP::Client", HttpClient::new(config.clone())))?;
    }
    if let Some(files) = &manifest.data {
        bound(sandbox.service("Data::Files", DataFiles::new(files.clone())))?;
    }
    Ok(())
}

/// The description of each service the manifest enables, in binding order.
pub(crate) fn describe(manifest: &Manifest) -> Vec<ServiceDoc> {
    let mut docs = Vec::new();
    if manifest.kv.is_some() {
        docs.push(kv_store::describe());
    }
    if let Some(config) = &manifest.http {
        docs.push(http_service::describe(config));
    }
    if let Some(files) = &manifest.data {
        docs.push(data_service::describe(files));
    }
    docs
}
