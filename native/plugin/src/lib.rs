//! Native backend of the Managed Image Gateway HaloForge plugin.
//!
//! The host loads this library through the `declare_plugin!` entry points and calls
//! [`ManagedImageGateway::on_load`], which registers the IPC commands the frontend reaches with
//! `invokePlugin(<command>, args)`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use hf_plugin_api::{
    HaloForgePlugin, IpcRegistrar, PluginContext, PluginError, PluginMetadata,
    PLUGIN_ABI_VERSION,
};
use serde_json::json;

/// The plugin id, equal to `manifest.json` `id`.
pub const PLUGIN_ID: &str = "dev.haloforge.managed-image-gateway";
/// The crate version, which is also the plugin version.
pub const PLUGIN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The plugin object the host creates through `_haloforge_plugin_create`.
#[derive(Default)]
pub struct ManagedImageGateway;

impl ManagedImageGateway {
    /// Constructor used by `declare_plugin!`.
    pub fn new() -> Self {
        Self
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

    fn on_load(
        &mut self,
        _ctx: &dyn PluginContext,
        ipc: &mut dyn IpcRegistrar,
    ) -> Result<(), PluginError> {
        ipc.register(
            "ping",
            Box::new(|_args, _ctx| Ok(json!({ "id": PLUGIN_ID, "version": PLUGIN_VERSION }))),
        )
    }

    fn on_unload(&mut self) -> Result<(), PluginError> {
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
