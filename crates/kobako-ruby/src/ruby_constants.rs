//! The Ruby objects the extension uses on every service call, looked up
//! once when it loads: lib/kobako.rb defines them before it requires the
//! extension.

use std::sync::OnceLock;

use magnus::prelude::*;
use magnus::value::Opaque;
use magnus::{Error, RClass, RModule, Ruby};

/// `Kobako::Dispatcher` and `Kobako::Handle`, kept from the GC for good.
pub(crate) struct Constants {
    pub(crate) dispatcher: Opaque<RModule>,
    pub(crate) handle: Opaque<RClass>,
}

static CONSTANTS: OnceLock<Constants> = OnceLock::new();

/// Looks the constants up under `kobako`; the extension fails to load
/// without them.
pub(crate) fn init(ruby: &Ruby, kobako: RModule) -> Result<(), Error> {
    let dispatcher: RModule = kobako.const_get("Dispatcher")?;
    let handle: RClass = kobako.const_get("Handle")?;
    ruby.gc_register_mark_object(dispatcher);
    ruby.gc_register_mark_object(handle);
    let _ = CONSTANTS.set(Constants {
        dispatcher: dispatcher.into(),
        handle: handle.into(),
    });
    Ok(())
}

/// The constants; [`init`] ran before any method that needs them existed.
pub(crate) fn get() -> &'static Constants {
    CONSTANTS
        .get()
        .expect("the extension's init looks the constants up")
}
