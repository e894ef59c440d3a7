//! Kobako runs untrusted Ruby inside WebAssembly, in-process.
//!
//! Each invocation gets a fresh instance of a pre-initialised mruby image:
//! no state survives from one invocation to the next, the script sees no
//! files, network, environment or real clock, and its time, memory and
//! output are capped.
//!
//! ```
//! use kobako::{Sandbox, Value};
//!
//! let sandbox = Sandbox::new()?;
//! let run = sandbox.eval(r#"puts "hello"; {total: [1, 2, 3].sum}"#)?;
//! assert_eq!(run.output().stdout(), b"hello\n");
//! assert_eq!(run.value().get_sym("total"), Some(&Value::Int(6)));
//!
//! let err = sandbox.eval("raise ArgumentError, 'boom'").unwrap_err();
//! assert!(err.is_sandbox_error());
//! assert_eq!(err.ruby_class(), "Kobako::SandboxError");
//! assert_eq!(err.guest_failure().unwrap().klass(), Some("ArgumentError"));
//! # Ok::<(), kobako::Error>(())
//! ```
//!
//! Where a call crosses between host and guest: `export_call.rs` (the host
//! calls a guest export), `dispatch.rs` (the guest calls a service through
//! the `kobako.dispatch` import, and a service yields back) and
//! `host_imports.rs` (the guest's WASI imports). docs/decisions.md,
//! "Layout", names what every module owns.

mod baked_state;
mod bindings;
mod builder;
mod classify;
mod dispatch;
mod engine;
mod engine_config;
mod error;
mod execution;
mod export_call;
mod extension;
mod function_service;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod guest_exports;
mod guest_image;
mod guest_memory;
mod handle_table;
mod host_imports;
mod interrupt;
mod invocation;
mod limits;
mod memory_guard;
mod module_cache;
mod output;
mod output_capture;
mod registry;
mod sandbox;
mod store;
mod unfilled;
mod value;
mod value_serde;
mod wire;

pub use bindings::Bindings;
pub use builder::SandboxBuilder;
pub use error::{Error, ErrorKind, GuestFailure, Origin};
pub use execution::Execution;
pub use extension::Extension;
pub use function_service::{Fallible, Plain, ServiceFn};
pub use interrupt::Interrupt;
pub use limits::{
    DEFAULT_MEMORY_LIMIT, DEFAULT_OUTPUT_LIMIT, DEFAULT_POOL_SIZE, DEFAULT_TIMEOUT, MAX_SOURCE_BYTES, Profile,
};
pub use output::{Output, Usage};
pub use sandbox::{Sandbox, Scoped};
pub use value::{Block, BlockError, Call, Fault, FaultCategory, HostObject, Service, Value};

/// Compiles the Rust examples in the README as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
