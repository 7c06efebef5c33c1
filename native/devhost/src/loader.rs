//! Loading a plugin library the way HaloForge does: open it, read
//! `_haloforge_abi_version` and refuse anything but this crate's `PLUGIN_ABI_VERSION` before
//! `_haloforge_plugin_create` is ever called, because that function hands back a Rust
//! trait-object pointer that is only meaningful when both sides agree on the ABI (and were built
//! by the same compiler — the workspace builds the host and the libraries together).

use std::fmt;
use std::path::{Path, PathBuf};

use hf_plugin_api::{HaloForgePlugin, PLUGIN_ABI_VERSION};

const ABI_SYMBOL: &[u8] = b"_haloforge_abi_version";
const CREATE_SYMBOL: &[u8] = b"_haloforge_plugin_create";
const DESTROY_SYMBOL: &[u8] = b"_haloforge_plugin_destroy";

type AbiVersionFn = unsafe extern "C" fn() -> u32;
// The crate's own `declare_plugin!` passes trait-object pointers through `extern "C"`; the host
// must match it exactly (sound only for a library built by the same compiler).
#[allow(improper_ctypes_definitions)]
type CreateFn = unsafe extern "C" fn() -> *mut dyn HaloForgePlugin;
#[allow(improper_ctypes_definitions)]
type DestroyFn = unsafe extern "C" fn(*mut dyn HaloForgePlugin);

/// Why a library was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be opened as a shared library.
    Open { path: PathBuf, reason: String },
    /// An entry point `declare_plugin!` exports is missing: not a HaloForge plugin.
    MissingSymbol { path: PathBuf, symbol: &'static str },
    /// The library speaks another plugin ABI.
    AbiMismatch { path: PathBuf, found: u32, expected: u32 },
    /// `_haloforge_plugin_create` returned null.
    NullPlugin { path: PathBuf },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Open { path, reason } => write!(f, "cannot open plugin library {}: {reason}", path.display()),
            LoadError::MissingSymbol { path, symbol } => write!(
                f,
                "{} is not a HaloForge plugin: it does not export `{symbol}` (declare it with haloforge_plugin_api::declare_plugin!)",
                path.display()
            ),
            LoadError::AbiMismatch { path, found, expected } => write!(
                f,
                "refusing to load {}: it was built for plugin ABI version {found}, this host speaks version {expected} (haloforge-plugin-api {})",
                path.display(),
                hf_plugin_api::PUBLIC_HOST_API_VERSION
            ),
            LoadError::NullPlugin { path } => write!(f, "{}: _haloforge_plugin_create returned no plugin", path.display()),
        }
    }
}

impl std::error::Error for LoadError {}

fn open(path: &Path) -> Result<libloading::Library, LoadError> {
    // SAFETY: loading runs the library's initializers; that is what loading a plugin means, and
    // the path is one the developer chose.
    unsafe { libloading::Library::new(path) }.map_err(|e| LoadError::Open { path: path.to_path_buf(), reason: e.to_string() })
}

fn has_symbol(library: &libloading::Library, name: &[u8]) -> bool {
    // SAFETY: only the symbol's presence is checked; it is not called.
    unsafe { library.get::<*const ()>(name) }.is_ok()
}

fn symbol_name(name: &'static [u8]) -> &'static str {
    std::str::from_utf8(name).unwrap_or("?")
}

/// Opens the library and checks its entry points and ABI version; nothing of the plugin runs.
fn checked(path: &Path) -> Result<libloading::Library, LoadError> {
    let library = open(path)?;
    for symbol in [ABI_SYMBOL, CREATE_SYMBOL, DESTROY_SYMBOL] {
        if !has_symbol(&library, symbol) {
            return Err(LoadError::MissingSymbol { path: path.to_path_buf(), symbol: symbol_name(symbol) });
        }
    }
    // SAFETY: `declare_plugin!` defines this symbol as `extern "C" fn() -> u32`; its presence was
    // checked above, and it takes no arguments and touches no plugin state.
    let found = unsafe {
        let abi_version = library.get::<AbiVersionFn>(ABI_SYMBOL).expect("checked above");
        abi_version()
    };
    if found != PLUGIN_ABI_VERSION {
        return Err(LoadError::AbiMismatch { path: path.to_path_buf(), found, expected: PLUGIN_ABI_VERSION });
    }
    Ok(library)
}

/// Checks a library without creating its plugin (the server process does this before it starts
/// a worker, so a bad library is refused with a clear message up front).
pub fn check(path: &Path) -> Result<(), LoadError> {
    checked(path).map(drop)
}

/// A created plugin and the library its code lives in. Dropping it destroys the plugin through
/// the library's own destroy function, then unloads the library — in that order.
pub struct LoadedPlugin {
    plugin: *mut dyn HaloForgePlugin,
    destroy: DestroyFn,
    library: Option<libloading::Library>,
}

// SAFETY: `HaloForgePlugin: Send + Sync`; the raw pointer is owned exclusively by this value.
unsafe impl Send for LoadedPlugin {}
unsafe impl Sync for LoadedPlugin {}

impl LoadedPlugin {
    /// Checks the library, then creates its plugin.
    pub fn load(path: &Path) -> Result<LoadedPlugin, LoadError> {
        let library = checked(path)?;
        // SAFETY: the ABI version matches, so both functions have the signatures
        // `declare_plugin!` gives them, and the host and library were built together.
        let (plugin, destroy) = unsafe {
            let create = *library.get::<CreateFn>(CREATE_SYMBOL).expect("checked");
            let destroy = *library.get::<DestroyFn>(DESTROY_SYMBOL).expect("checked");
            (create(), destroy)
        };
        if plugin.is_null() {
            return Err(LoadError::NullPlugin { path: path.to_path_buf() });
        }
        Ok(LoadedPlugin { plugin, destroy, library: Some(library) })
    }

    /// The plugin object.
    pub fn plugin(&mut self) -> &mut dyn HaloForgePlugin {
        // SAFETY: non-null, created by the library and owned by `self` until drop.
        unsafe { &mut *self.plugin }
    }
}

impl Drop for LoadedPlugin {
    fn drop(&mut self) {
        // SAFETY: the pointer came from this library's create function and is destroyed once,
        // by the same library, before the library is unloaded.
        unsafe { (self.destroy)(self.plugin) };
        drop(self.library.take());
    }
}
