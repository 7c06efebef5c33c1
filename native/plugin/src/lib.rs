//! Native backend of the Managed Image Gateway HaloForge plugin: the custom OpenAI-compatible
//! endpoint path (Community Edition), called from Rust so CORS and the API key stay out of the
//! web view.
//!
//! The host loads this library through the `declare_plugin!` entry points and calls
//! [`ManagedImageGateway::on_load`], which registers the IPC commands of [`commands`]. The
//! frontend calls them with `invokePlugin(<command>, args)`; shapes are in `native/README.md`.
//!
//! Module map: [`endpoint`] (base URL rules), [`args`] (command arguments), [`openai`] (wire
//! format), [`transport`] (HTTP behind a trait), [`gateway`] (runtime, cancel, timeout),
//! [`registry`] (requests in flight), [`logging`], [`mod@redact`], [`key`] (custody of the API
//! key), [`save`] (writing a result image where the host's save dialog pointed), [`image_kind`]
//! (PNG, JPEG or WebP by their first bytes), [`error`],
//! [`panic_guard`] (a bug answers `internal` instead of crashing the call).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod args;
pub mod commands;
pub mod endpoint;
pub mod error;
pub mod gateway;
pub mod image_kind;
pub mod key;
pub mod logging;
pub mod openai;
pub mod panic_guard;
pub mod progress;
pub mod redact;
pub mod registry;
pub mod save;
pub mod sse;
pub mod stream;
pub mod transport;
pub mod usage;

use std::sync::Arc;

use hf_plugin_api::{HaloForgePlugin, IpcRegistrar, PluginContext, PluginError, PluginMetadata, PLUGIN_ABI_VERSION};

pub use error::GatewayError;
pub use redact::redact;

use gateway::Gateway;
use key::file_store::FileStore;
use key::system_store::SystemStore;
use key::{KeyCustody, SecretStore};
use transport::{HttpTransport, Transport};

/// The plugin id, equal to `manifest.json` `id`.
pub const PLUGIN_ID: &str = "dev.haloforge.managed-image-gateway";
/// The crate version, which is also the plugin version.
pub const PLUGIN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The environment variable that picks where the API key is kept: `file` keeps it only in the
/// plugin's data folder (the dev host sets this, so development never touches the real keychain);
/// anything else, or unset, uses the OS credential store with the file as fallback.
pub const KEY_STORE_ENV: &str = "HFMIG_KEY_STORE";

/// Where the API key may be kept.
pub enum KeyStores {
    /// The OS credential store, the file as fallback.
    System,
    /// Only the owner-only file under `data_dir()`.
    FileOnly,
    /// This store first, the file as fallback (tests: a credential store that refuses).
    Custom(Box<dyn SecretStore>),
}

impl KeyStores {
    /// What [`KEY_STORE_ENV`] asks for.
    pub fn from_env() -> Self {
        match std::env::var(KEY_STORE_ENV) {
            Ok(value) if value.trim().eq_ignore_ascii_case("file") => KeyStores::FileOnly,
            _ => KeyStores::System,
        }
    }
}

/// The plugin object the host creates through `_haloforge_plugin_create`.
pub struct ManagedImageGateway {
    transport: Option<Arc<dyn Transport>>,
    key_stores: Option<KeyStores>,
    gateway: Option<Arc<Gateway>>,
}

impl Default for ManagedImageGateway {
    fn default() -> Self {
        Self::new()
    }
}

impl ManagedImageGateway {
    /// Constructor used by `declare_plugin!`: the real HTTP transport, built at load; the key
    /// stores [`KEY_STORE_ENV`] asks for.
    pub fn new() -> Self {
        Self { transport: None, key_stores: Some(KeyStores::from_env()), gateway: None }
    }

    /// A plugin that sends through `transport` and keeps the key in the data-folder file only
    /// (tests, benchmarks: never the machine's keychain).
    pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
        Self { transport: Some(transport), key_stores: Some(KeyStores::FileOnly), gateway: None }
    }

    /// The same plugin with other key stores.
    pub fn with_key_stores(mut self, stores: KeyStores) -> Self {
        self.key_stores = Some(stores);
        self
    }
}

impl HaloForgePlugin for ManagedImageGateway {
    fn metadata(&self) -> PluginMetadata {
        PluginMetadata {
            id: PLUGIN_ID.into(),
            name: "Managed Image Gateway".into(),
            version: PLUGIN_VERSION.into(),
            description: "Generate and edit images through the managed gateway or a custom OpenAI-compatible endpoint.".into(),
            author: "HaloForge Team".into(),
            abi_version: PLUGIN_ABI_VERSION,
        }
    }

    fn on_load(&mut self, ctx: &dyn PluginContext, ipc: &mut dyn IpcRegistrar) -> Result<(), PluginError> {
        let transport = match &self.transport {
            Some(transport) => transport.clone(),
            None => Arc::new(HttpTransport::new().map_err(PluginError::InitFailed)?),
        };
        let gateway = Arc::new(
            Gateway::new(transport).map_err(|e| PluginError::InitFailed(format!("could not start the runtime: {e}")))?,
        );
        let system: Option<Box<dyn SecretStore>> = match self.key_stores.take().unwrap_or(KeyStores::FileOnly) {
            KeyStores::System => Some(Box::new(SystemStore::new(PLUGIN_ID))),
            KeyStores::FileOnly => None,
            KeyStores::Custom(store) => Some(store),
        };
        let custody = Arc::new(KeyCustody::new(system, Box::new(FileStore::new(ctx.data_dir()))));
        key::host_settings::move_key_out(ctx, &custody);
        commands::register_all(ipc, gateway.clone(), custody)?;
        self.gateway = Some(gateway);
        Ok(())
    }

    fn on_unload(&mut self) -> Result<(), PluginError> {
        if let Some(gateway) = self.gateway.take() {
            gateway.shutdown();
        }
        Ok(())
    }
}

/// The host's C entry points (`_haloforge_plugin_create`, `_haloforge_plugin_destroy`,
/// `_haloforge_abi_version`). The macro's own `unsafe` stays inside the crate's expansion, so
/// `forbid(unsafe_code)` still holds for every line written here.
#[allow(missing_docs)]
mod entry {
    use super::ManagedImageGateway;
    hf_plugin_api::declare_plugin!(ManagedImageGateway, ManagedImageGateway::new);
}
