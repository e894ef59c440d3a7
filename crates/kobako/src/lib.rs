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
//! assert_eq!(run.value().get(&Value::Sym("total".into())), Some(&Value::Int(6)));
//!
//! let err = sandbox.eval("raise ArgumentError, 'boom'").unwrap_err();
//! assert!(err.is_sandbox_error());
//! assert_eq!(err.guest_failure().unwrap().klass(), Some("ArgumentError"));
//! # Ok::<(), kobako::Error>(())
//! ```
//!
//! Where a call crosses into the guest: `invocation.rs` (exports the host
//! calls) and `host_imports.rs` (the only functions the guest can call).

mod baked_state;
mod dispatch;
mod engine;
mod error;
mod execution;
mod function_service;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod guest_image;
mod guest_memory;
mod handle_table;
mod host_imports;
mod interrupt;
mod invocation;
mod memory_guard;
mod module_cache;
mod output_capture;
mod registry;
mod sandbox;
mod service;
mod value;
mod value_serde;
mod wire;

pub use error::{Error, GuestFailure, Origin, TrapFailure};
pub use execution::{Execution, Output, Usage};
pub use function_service::{Fallible, Plain, ServiceFn};
pub use interrupt::{Interrupt, Interruptible};
pub use sandbox::{
    DEFAULT_MEMORY_LIMIT, DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT, Profile, Sandbox, SandboxBuilder,
};
pub use service::{Block, BlockError, Call, Fault, FaultCategory, Service};
pub use value::{HostObject, Value};

/// Compiles the Rust examples in the README as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
