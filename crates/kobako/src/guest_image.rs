//! A compiled, linked guest module ready to instantiate, and the interface
//! check that decides whether a module is a Kobako guest at all.

use std::path::Path;
use std::sync::{Arc, Mutex};

use wasmtime::{InstancePre, Linker};

use crate::engine::{SharedEngine, shared_engine};
use crate::error::Error;
use crate::guest_exports::GuestExports;
use crate::limits::Limits;
use crate::module_cache::{self, ModuleCache};
use crate::store::{StoreState, new_store};
use crate::{dispatch, host_imports};

/// The interface version this host speaks; the guest reports its own from
/// `kobako_abi_version`.
pub(crate) const ABI_VERSION: i32 = 1;

/// The guest image built by `cargo xtask guest`, pre-initialised.
static BUNDLED_WASM: &[u8] = include_bytes!("../guest/kobako.wasm");

/// Its SHA-256, computed by build.rs.
const BUNDLED_DIGEST: [u8; 32] = include!(concat!(env!("OUT_DIR"), "/bundled_digest.rs"));

/// The bundled guest compiled for each engine (pool size) used so far.
static BUNDLED: Mutex<Vec<(u32, Arc<GuestImage>)>> = Mutex::new(Vec::new());

/// A guest module compiled once and linked against the host imports.
pub(crate) struct GuestImage {
    pub(crate) engine: SharedEngine,
    pub(crate) pre: InstancePre<StoreState>,
}

impl GuestImage {
    /// The bundled guest, compiled on first use for this pool size and
    /// shared by the process; `cache` is consulted only then.
    pub(crate) fn bundled(pool_size: u32, cache: &ModuleCache) -> Result<Arc<GuestImage>, Error> {
        let mut bundled = BUNDLED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, image)) = bundled.iter().find(|(size, _)| *size == pool_size) {
            return Ok(image.clone());
        }
        let image = Arc::new(GuestImage::compile(
            BUNDLED_WASM,
            Some(BUNDLED_DIGEST),
            pool_size,
            cache,
        )?);
        bundled.push((pool_size, image.clone()));
        Ok(image)
    }

    /// Reads a guest module from disk.
    pub(crate) fn from_file(path: &Path, pool_size: u32, cache: &ModuleCache) -> Result<GuestImage, Error> {
        let bytes = std::fs::read(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::module_not_built(path.to_path_buf(), source),
            _ => Error::setup(
                format!("cannot read the guest module {}", path.display()),
                Some(Box::new(source)),
            ),
        })?;
        GuestImage::from_bytes(&bytes, pool_size, cache)
    }

    /// Compiles, links and checks a guest module.
    pub(crate) fn from_bytes(bytes: &[u8], pool_size: u32, cache: &ModuleCache) -> Result<GuestImage, Error> {
        GuestImage::compile(bytes, None, pool_size, cache)
    }

    /// Compiles (or loads from the cache, under `digest` when the caller
    /// knows the bytes' SHA-256), links and checks a guest module.
    fn compile(
        bytes: &[u8],
        digest: Option<[u8; 32]>,
        pool_size: u32,
        cache: &ModuleCache,
    ) -> Result<GuestImage, Error> {
        let engine = shared_engine(pool_size)?;
        let module = module_cache::compile(engine.engine(), bytes, digest, cache)
            .map_err(|e| Error::setup(format!("the guest is not a valid WebAssembly module: {e}"), None))?;
        let mut linker = Linker::new(engine.engine());
        host_imports::define(&mut linker)
            .and_then(|()| dispatch::define(&mut linker))
            .map_err(|e| Error::setup(format!("cannot define host imports: {e}"), None))?;
        let pre = linker.instantiate_pre(&module).map_err(|e| {
            Error::setup(
                format!("the guest needs imports the sandbox does not provide: {e}"),
                None,
            )
        })?;
        let image = GuestImage { engine, pre };
        image.check_interface()?;
        Ok(image)
    }

    /// Instantiates once and asks the guest which interface it speaks.
    fn check_interface(&self) -> Result<(), Error> {
        let mut store = new_store(&self.engine, &Limits::INTERFACE_CHECK, Default::default(), None)?;
        let instance = self
            .pre
            .instantiate(&mut store)
            .map_err(|e| Error::setup(format!("cannot instantiate the guest: {e}"), None))?;
        store.data_mut().start_charging();
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
