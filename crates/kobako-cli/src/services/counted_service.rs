//! A bound service that counts the calls scripts make to it, for the
//! server's metrics; it passes every call through unchanged.

use std::sync::Arc;

use kobako::{Call, Fault, Service, Value};
use prometheus_client::metrics::counter::Counter;

/// `inner`, with each call counted in `calls`.
pub(crate) struct CountedService {
    pub(crate) inner: Arc<dyn Service>,
    pub(crate) calls: Counter,
}

impl Service for CountedService {
    fn call(&self, call: &mut Call<'_>) -> Result<Value, Fault> {
        self.calls.inc();
        self.inner.call(call)
    }

    fn allows(&self, method: &str) -> bool {
        self.inner.allows(method)
    }
}
