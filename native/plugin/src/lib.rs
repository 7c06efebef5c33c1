//! Native backend of the Managed Image Gateway HaloForge plugin: the custom OpenAI-compatible
//! endpoint path (Community Edition), called from Rust so CORS and the API key stay out of the
//! web view.
//!
//! The host loads this library through the `declare_plugin!` entry points and calls
//! [`ManagedImageGateway::on_load`], which registers the IPC commands. The frontend calls them
//! with `invokePlugin(<command>, args)`; shapes are in `native/README.md`.
//!
//! The crate is grouped by concern, each folder private: `commands` (the IPC handlers and their
//! envelopes), `wire` (OpenAI's request and answer formats, streamed events), `http` (base URL
//! rules, the transport), `calls` (runtime, requests in flight, partial images, streaming
//! fallback, request logs), `error` (the one error type and the mapping of HTTP answers to it),
//! `key` (custody of the API key) and `safety` (redaction, panic containment). What the host,
//! the dev host, the benchmark and the tests use is re-exported here.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod calls;
mod commands;
mod dialects;
mod error;
mod http;
mod key;
mod safety;
mod wire;

use std::sync::Arc;

use hf_plugin_api::{HaloForgePlugin, IpcRegistrar, PluginContext, PluginError, PluginMetadata, PLUGIN_ABI_VERSION};

pub use calls::registry::{check_request_id, loggable_request_id};
pub use commands::args::stream_partials;
pub use error::http::{http_error, retry_after_ms};
pub use error::{Details, Error, ErrorCode, REASONS};
pub use http::endpoint::{is_acceptable_image_url, BaseUrlProblem, Endpoint};
pub use http::transport::{BoxFuture, ChunkSource, Credential, HttpTransport, InboundResponse, OutboundRequest, StreamingResponse, Transport, TransportFailure};
pub use key::{SecretStore, StoreFailure, StoredKey};
pub use safety::redact::{redact, Redactor};
pub use wire::answers::{read_images, read_models, read_responses, ImagesOut};
pub use wire::bodies::{compression_for, edit_form, edit_json_body, generation_body, responses_body};
pub use wire::requests::{EditRequest, GenerateRequest, ResponsesRequest};
pub use wire::sse::{SseError, SseEvent, SseReader};
pub use wire::echo::Echo;
pub use wire::usage::Usage;

use calls::runtime::Runtime;
use key::file_store::FileStore;
use key::system_store::SystemStore;
use key::KeyCustody;

/// The plugin id, equal to `manifest.json` `id`.
pub const PLUGIN_ID: &str = "dev.haloforge.managed-image-gateway";
/// The crate version, which is also the plugin version.
pub const PLUGIN_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The environment variable that picks where the API keys are kept: `file` keeps them only in the
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
    runtime: Option<Arc<Runtime>>,
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
        Self { transport: None, key_stores: Some(KeyStores::from_env()), runtime: None }
    }

    /// A plugin that sends through `transport` and keeps the key in the data-folder file only
    /// (tests, benchmarks: never the machine's keychain).
    pub fn with_transport(transport: Arc<dyn Transport>) -> Self {
        Self { transport: Some(transport), key_stores: Some(KeyStores::FileOnly), runtime: None }
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
        let runtime = Arc::new(
            Runtime::new(transport).map_err(|e| PluginError::InitFailed(format!("could not start the runtime: {e}")))?,
        );
        let system: Option<Box<dyn SecretStore>> = match self.key_stores.take().unwrap_or(KeyStores::FileOnly) {
            KeyStores::System => Some(Box::new(SystemStore::new(PLUGIN_ID))),
            KeyStores::FileOnly => None,
            KeyStores::Custom(store) => Some(store),
        };
        let custody = Arc::new(KeyCustody::new(system, FileStore::new(ctx.data_dir())));
        key::host_settings::move_key_out(ctx, &custody);
        commands::register_all(ipc, runtime.clone(), custody)?;
        self.runtime = Some(runtime);
        Ok(())
    }

    fn on_unload(&mut self) -> Result<(), PluginError> {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown();
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
