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
//! [`registry`] (requests in flight), [`logging`], [`mod@redact`], [`settings`] (the API key),
//! [`save`] (writing a result image where the host's save dialog pointed), [`error`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod args;
pub mod commands;
pub mod endpoint;
pub mod error;
pub mod gateway;
pub mod logging;
pub mod openai;
pub mod redact;
pub mod registry;
pub mod save;
pub mod settings;
pub mod transport;

use std::sync::Arc;

use hf_plugin_api::{HaloForgePlugin, IpcRegistrar, PluginContext, PluginError, PluginMetadata, PLUGIN_ABI_VERSION};

pub use error::GatewayError;
pub use redact::redact;

use gateway::Gateway;
use transport::{HttpTransport, Transport};

/// The plugin id, equal to `manifest.json` `id`.
pub const PLUGIN_ID: &str = "dev.haloforge.managed-image-gateway";
/// The crate version, which is also the plugin version.
pub const PLUGIN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The plugin object the host creates through `_haloforge_plugin_create`.
#[derive(Default)]
pub struct ManagedImageGateway {
    transport: Option<Arc<dyn Transport>>,
    gateway: Option<Arc<Gateway>>,
}

impl ManagedImageGateway {
    /// Constructor used by `declare_plugin!`: the real HTTP transport, built at load.
    pub fn new() -> Self {
        Self::default()
    }

    /// A plugin that sends through `transport` instead (tests, benchmarks).
    pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
        Self { transport: Some(transport), gateway: None }
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

    fn on_load(&mut self, _ctx: &dyn PluginContext, ipc: &mut dyn IpcRegistrar) -> Result<(), PluginError> {
        let transport = match &self.transport {
            Some(transport) => transport.clone(),
            None => Arc::new(HttpTransport::new().map_err(PluginError::InitFailed)?),
        };
        let gateway = Arc::new(
            Gateway::new(transport).map_err(|e| PluginError::InitFailed(format!("could not start the runtime: {e}")))?,
        );
        commands::register_all(ipc, gateway.clone())?;
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
