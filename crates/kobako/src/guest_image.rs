//! A compiled, linked guest module ready to instantiate, and the interface
//! check that decides whether a module is a Kobako guest at all.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use wasmtime::{InstancePre, Linker};

use crate::engine::engine;
use crate::error::Error;
use crate::invocation::{GuestExports, InvocationState, Limits, new_store};
use crate::{dispatch, host_imports, module_cache};

/// The interface version this host speaks; the guest reports its own from
/// `kobako_abi_version`.
pub(crate) const ABI_VERSION: i32 = 1;

/// The guest image built by `cargo xtask guest`, pre-initialised.
static BUNDLED_WASM: &[u8] = include_bytes!("../guest/kobako.wasm");

static BUNDLED: OnceLock<Result<Arc<GuestImage>, String>> = OnceLock::new();

/// A guest module compiled once and linked against the host imports.
pub(crate) struct GuestImage {
    pub(crate) pre: InstancePre<InvocationState>,
}

impl GuestImage {
    /// The bundled guest, compiled on first use and shared by the process.
    pub(crate) fn bundled() -> Result<Arc<GuestImage>, Error> {
        BUNDLED
            .get_or_init(|| {
                GuestImage::from_bytes(BUNDLED_WASM)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(|message| Error::setup(message, None))
    }

    /// Reads a guest module from disk.
    pub(crate) fn from_file(path: &Path) -> Result<GuestImage, Error> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::ModuleNotBuilt {
                path: path.to_path_buf(),
                source,
            },
            _ => Error::setup(
                format!("cannot read the guest module {}", path.display()),
                Some(Box::new(source)),
            ),
        })?;
        GuestImage::from_bytes(&bytes)
    }

    /// Compiles, links and checks a guest module.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Result<GuestImage, Error> {
        let engine = engine()?;
        let module = module_cache::compile(engine, bytes)
            .map_err(|e| Error::setup(format!("the guest is not a valid WebAssembly module: {e}"), None))?;
        let mut linker = Linker::new(engine);
        host_imports::define(&mut linker)
            .and_then(|()| dispatch::define(&mut linker))
            .map_err(|e| Error::setup(format!("cannot define host imports: {e}"), None))?;
        let pre = linker.instantiate_pre(&module).map_err(|e| {
            Error::setup(
                format!("the guest needs imports the sandbox does not provide: {e}"),
                None,
            )
        })?;
        let image = GuestImage { pre };
        image.check_interface()?;
        Ok(image)
    }

    /// Instantiates once and asks the guest which interface it speaks.
    fn check_interface(&self) -> Result<(), Error> {
        let mut store = new_store(
            self.pre.module().engine(),
            &Limits::INTERFACE_CHECK,
            Default::default(),
        )?;
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| Error::setup(format!("cannot instantiate the guest: {e}"), None))?;
        store.data_mut().memory.start_charging();
        let exports = GuestExports::resolve(&instance, &mut store)
            .map_err(|e| Error::setup(format!("the guest does not have the Kobako interface: {e}"), None))?;
        let version = exports
            .abi_version
            .call(&mut store, ())
            .map_err(|e| Error::setup(format!("the guest's kobako_abi_version failed: {e}"), None))?;
        if version != ABI_VERSION {
            return Err(Error::setup(
                format!(
                    "the guest speaks interface version {version}, this host speaks {ABI_VERSION}; rebuild the guest"
                ),
                None,
            ));
        }
        Ok(())
    }
}
