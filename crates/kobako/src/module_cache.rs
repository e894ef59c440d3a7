//! An on-disk cache of compiled guest modules, so a fresh process reaches
//! its first result without compiling the guest again.
//!
//! Entries are keyed by the SHA-256 of the module bytes and the engine's
//! version; each entry carries the SHA-256 of its own content, checked before
//! use. The directory must belong to the current user and be writable by no
//! one else: a compiled module is native code, so an entry is only trusted
//! when nobody else could have put it there. Anything that fails a check is
//! ignored (and rewritten); it never stops a Sandbox from starting. The
//! cache needs a Unix host (it checks owners and modes); elsewhere it is off,
//! and asking for a directory is a usage error.

use std::path::PathBuf;

use wasmtime::{Engine, Module};

/// Where compiled guests are cached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum ModuleCache {
    /// `$KOBAKO_CACHE_DIR`, else `$XDG_CACHE_HOME/kobako`, else
    /// `~/.cache/kobako`; `KOBAKO_CACHE_DIR=off` turns the cache off.
    #[default]
    FromEnvironment,
    /// The given directory.
    Dir(PathBuf),
    /// No cache: every process compiles the guest.
    Off,
}

impl ModuleCache {
    /// The directory to use, if any.
    fn dir(&self) -> Option<PathBuf> {
        match self {
            ModuleCache::FromEnvironment if cfg!(unix) => match std::env::var_os("KOBAKO_CACHE_DIR") {
                Some(dir) if dir == "off" => None,
                Some(dir) => Some(PathBuf::from(dir)),
                None => std::env::var_os("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
                    .map(|base| base.join("kobako")),
            },
            ModuleCache::Dir(dir) => Some(dir.clone()),
            _ => None,
        }
    }

    /// Refuses a cache directory where the cache cannot work (not Unix).
    pub(crate) fn check(&self) -> Result<(), String> {
        match self {
            ModuleCache::Dir(dir) if !cfg!(unix) => Err(format!(
                "module_cache({}) needs a Unix host; pass None to turn the cache off",
                dir.display()
            )),
            _ => Ok(()),
        }
    }
}

/// Compiles `wasm`, or loads the compiled form from the cache.
/// `digest` is the SHA-256 of `wasm` when the caller has it already.
pub(crate) fn compile(
    engine: &Engine,
    wasm: &[u8],
    digest: Option<[u8; 32]>,
    cache: &ModuleCache,
) -> wasmtime::Result<Module> {
    match cache.dir() {
        #[cfg(unix)]
        Some(dir) => disk::compile(engine, wasm, digest, &dir),
        _ => {
            let _ = digest;
            Module::new(engine, wasm)
        }
    }
}

/// The cache directory and its entries (Unix only: trust rests on owners
/// and modes).
#[cfg(unix)]
mod disk {
    use std::fs;
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
    use std::path::Path;

    use sha2::{Digest, Sha256};
    use wasmtime::{Engine, Module};

    /// Bumped when the entry layout or the engine configuration changes.
    const FORMAT: &str = "kobako-module-cache-3";

    /// Compiles `wasm`, or loads the compiled form from the cache in `dir`.
    pub(super) fn compile(
        engine: &Engine,
        wasm: &[u8],
        digest: Option<[u8; 32]>,
        dir: &Path,
    ) -> wasmtime::Result<Module> {
        if !private_dir(dir) {
            return Module::new(engine, wasm);
        }
        let digest = digest.unwrap_or_else(|| Sha256::digest(wasm).into());
        let key = hex(&Sha256::new()
            .chain_update(FORMAT)
            .chain_update(env!("CARGO_PKG_VERSION"))
            .chain_update(digest)
            .finalize());
        let entry = dir.join(format!("{key}.cwasm"));
        if let Some(module) = load(engine, &entry) {
            return Ok(module);
        }
        let module = Module::new(engine, wasm)?;
        if let Ok(compiled) = module.serialize() {
            store(dir, &entry, &compiled);
        }
        Ok(module)
    }

    /// Creates the directory (mode 0700) if needed; true when it belongs to the
    /// current user and no one else can write to it.
    fn private_dir(dir: &Path) -> bool {
        let _ = fs::DirBuilder::new().recursive(true).mode(0o700).create(dir);
        let Ok(meta) = fs::metadata(dir) else { return false };
        // SAFETY: geteuid has no preconditions and cannot fail.
        let euid = unsafe { libc::geteuid() };
        meta.is_dir() && meta.uid() == euid && meta.permissions().mode() & 0o022 == 0
    }

    /// An entry is exactly what `Module::serialize` wrote, mapped from the
    /// file rather than read and copied: entries are written atomically and
    /// never changed in place, in a directory only this user can write, so
    /// they are trusted as the program's own executable is.
    fn load(engine: &Engine, entry: &Path) -> Option<Module> {
        let meta = fs::symlink_metadata(entry).ok()?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let euid = unsafe { libc::geteuid() };
        if !meta.is_file() || meta.uid() != euid || meta.permissions().mode() & 0o022 != 0 {
            return None;
        }
        // SAFETY: the file is what `Module::serialize` wrote for this key: it
        // sits in a directory only this user can write, in a file this user
        // owns, and it is replaced only by a rename, never changed while
        // mapped. wasmtime itself refuses files that are not its own format,
        // are cut short, or come from another engine version or configuration.
        unsafe { Module::deserialize_file(engine, entry) }.ok()
    }

    /// Writes an entry atomically (temp file, then rename); failures are
    /// ignored, the cache is only an optimisation.
    fn store(dir: &Path, entry: &Path, compiled: &[u8]) {
        let temp = dir.join(format!(
            ".{}.{}.tmp",
            std::process::id(),
            entry.file_name().and_then(|n| n.to_str()).unwrap_or("entry")
        ));
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)
            .and_then(|mut file| {
                file.write_all(compiled)?;
                file.sync_all()
            });
        if written.is_err() || fs::rename(&temp, entry).is_err() {
            let _ = fs::remove_file(&temp);
            return;
        }
        prune(dir);
    }

    /// Bytes of entries kept (a compiled guest is about 5 MB): each build of
    /// a guest or of this crate has its own, and old ones are never read
    /// again.
    const BYTES_KEPT: u64 = 64 << 20;

    /// Removes the oldest entries until the rest fit in `BYTES_KEPT` (the
    /// newest always stays): a few guests' worth, however many small
    /// modules (tests, tools) were cached beside them.
    fn prune(dir: &Path) {
        let Ok(listing) = fs::read_dir(dir) else { return };
        let mut entries: Vec<(std::time::SystemTime, u64, std::path::PathBuf)> = listing
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "cwasm"))
            .filter_map(|path| {
                let meta = fs::symlink_metadata(&path).ok()?;
                Some((meta.modified().ok()?, meta.len(), path))
            })
            .collect();
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.0));
        let mut kept = 0u64;
        for (index, (_, len, path)) in entries.into_iter().enumerate() {
            kept = kept.saturating_add(len);
            if index > 0 && kept > BYTES_KEPT {
                let _ = fs::remove_file(path);
            }
        }
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
