//! The service behind a declared path: it answers every call with a fault
//! until an invocation binds something there.

use crate::value::{Call, Fault, Service, Value};

/// What a declared path answers in an invocation that did not bind it.
pub(crate) struct Unfilled {
    pub(crate) path: String,
}

impl Service for Unfilled {
    fn call(&self, _call: &mut Call<'_>) -> Result<Value, Fault> {
        Err(Fault::undefined(format!(
            "{} is declared but nothing is bound to it for this invocation",
            self.path
        )))
    }
}
