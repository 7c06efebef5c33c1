//! The IPC commands. Each takes the JSON the frontend passes to `invokePlugin(name, args)` and
//! answers JSON. Shapes (see also `native/README.md`):
//!
//! ```text
//! ping                   {}                                   → { id, version }
//! generate_images        { requestId, endpoint, request: GenerateRequest,  timeoutMs?, maxResponseBytes? }
//! edit_images            { requestId, endpoint, request: EditRequest,      timeoutMs?, maxResponseBytes? }
//! generate_via_responses { requestId, endpoint, request: ResponsesRequest, timeoutMs?, maxResponseBytes? }
//!     (each also takes stream?: bool, partialImages?: 1-3)
//!     → { ok: true,  requestId, status, elapsedMs, providerRequestId?, streamFallback?, streamFallbackReason?, result: { created?, data: [{ b64_json?, url?, revised_prompt? }], usage? } }
//!     | { ok: false, requestId, elapsedMs, error: { code, message, sent, may_have_run, status?, retry_after_ms?, provider_request_id?, reason?, provider_message? } }
//! test_connection        { requestId, endpoint, timeoutMs? }
//!     → { ok: true, requestId, reachable: true, authAccepted: bool|null, modelsListed, modelCount, models, status, elapsedMs, providerRequestId?, detail? }
//!     | { ok: false, requestId, elapsedMs, error }
//! list_models            { requestId, endpoint, timeoutMs? }
//!     → { ok: true, requestId, models: [{ id, image: bool|null }], fetchedAt, elapsedMs } | { ok: false, requestId, elapsedMs, error }
//! cancel_request         { requestId }                        → { ok: true, cancelled: bool }
//! request_progress       { requestId, after? }                → { ok: true, requestId, state: "streaming"|"ended"|"unknown", lastSeq, partials: [{ seq, imageIndex, partialIndex, b64_json, outputFormat? }] }
//! set_api_key            { profileId, baseUrl, apiKey }       → { ok: true, apiKeySet: true, storage, notice? } | { ok: false, error }
//! clear_api_key          { profileId }                        → { ok: true, apiKeySet: false }
//! api_key_status         { profileId }                        → { ok: true, apiKeySet: bool, storage?, notice? }
//!     storage = "keychain" | "file" (only when a key is set); notice = "keychain_unavailable" | "key_unreadable"
//! adopt_legacy_key       { profileId, baseUrl }               → { ok: true, adopted: bool, storage? }
//! save_image             { path, base64 }                     → { ok: true, bytes } | { ok: false, error: { code, message } }
//! save_history_archive   { path, base64 }                     → { ok: true, bytes } | { ok: false, error: { code, message } }
//! endpoint = { profileId, baseUrl, dialect: "images"|"responses"|"azure"|"chat"|"siliconflow",
//!              auth: "bearer"|"api-key"|"x-goog-api-key"|"none", deployment?, apiVersion?,
//!              editUpload?: "multipart"|"json", allowInsecureHttp?, extraHeaders?: { name: value } }
//! ```
//!
//! Keys are per profile, each bound to the origin it was saved for: a call whose origin differs is
//! refused with `key_origin_mismatch` before anything is sent, and an extra header that carries a
//! credential (`Authorization`, `api-key`, `x-goog-api-key`, `Cookie`, or a stored key's value) is
//! refused as `invalid_config` with reason `credential_header` ([`call_key`]). A profile with
//! `auth: "none"` sends no key.
//!
//! Domain failures are `Ok` with `ok: false`; `Err` only for calls whose JSON does not have the
//! command's shape (missing or unknown keys, wrong types) and for a key no store could keep.
//! A panic in a handler answers `ok: false` with the `internal` error and is logged once with
//! its location.
//!
//! One file per concern: [`images`] (the three image calls), [`connection`] (`test_connection`),
//! [`models`] (`list_models`),
//! [`progress`] (`request_progress`, `cancel_request`), [`key`] (the key commands), [`save`]
//! (`save_image`), [`save_archive`] (`save_history_archive`); [`args`] holds the envelopes.

pub mod args;
mod connection;
mod images;
mod key;
mod models;
mod progress;
mod save;
mod save_archive;

use std::sync::Arc;

use hf_plugin_api::{IpcHandler, IpcRegistrar, LogLevel, PluginContext, PluginError};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::calls::registry::check_request_id;
use crate::calls::runtime::Runtime;
use crate::dialects::target::check_profile_id;
use crate::dialects::AuthStyle;
use crate::error::Error;
use crate::http::endpoint::Endpoint;
use crate::key::headers::check_extra_headers;
use crate::key::{KeyCustody, Origin, ProfileId};
use crate::safety::panic_guard;
use crate::safety::redact::Redactor;
use crate::{PLUGIN_ID, PLUGIN_VERSION};

/// What every handler shares: the runtime (transport, requests in flight, partials) and the key's
/// custody.
pub struct Shared {
    runtime: Arc<Runtime>,
    custody: Arc<KeyCustody>,
}

type Handler = fn(&Shared, Value, &dyn PluginContext) -> Result<Value, PluginError>;

/// Every command, in registration order.
const HANDLERS: [(&str, Handler); 14] = [
    ("ping", ping),
    ("generate_images", images::generate_images),
    ("edit_images", images::edit_images),
    ("generate_via_responses", images::generate_via_responses),
    ("cancel_request", progress::cancel_request),
    ("request_progress", progress::request_progress),
    ("test_connection", connection::test_connection),
    ("list_models", models::list_models),
    ("set_api_key", key::set_api_key),
    ("clear_api_key", key::clear_api_key),
    ("api_key_status", key::api_key_status),
    ("adopt_legacy_key", key::adopt_legacy_key),
    ("save_image", save::save_image),
    ("save_history_archive", save_archive::save_history_archive),
];

/// Registers every command; handlers share `runtime` and the key's `custody`.
pub fn register_all(ipc: &mut dyn IpcRegistrar, runtime: Arc<Runtime>, custody: Arc<KeyCustody>) -> Result<(), PluginError> {
    let shared = Arc::new(Shared { runtime, custody });
    for (name, handler) in HANDLERS {
        let shared = shared.clone();
        ipc.register(name, guarded(name, move |args, ctx| handler(&shared, args, ctx)))?;
    }
    Ok(())
}

fn ping(_shared: &Shared, _args: Value, _ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    Ok(json!({ "id": PLUGIN_ID, "version": PLUGIN_VERSION }))
}

/// A handler whose panics answer `{ ok: false, requestId, error: internal }` instead of
/// unwinding into the host, logged once with the panic's location.
fn guarded(
    command: &'static str,
    handler: impl Fn(Value, &dyn PluginContext) -> Result<Value, PluginError> + Send + Sync + 'static,
) -> IpcHandler {
    Box::new(move |args, ctx| {
        let request_id = args
            .get("requestId")
            .and_then(Value::as_str)
            .filter(|id| check_request_id(id).is_ok())
            .unwrap_or_default()
            .to_string();
        panic_guard::catch(|| handler(args, ctx)).unwrap_or_else(|panicked| {
            ctx.log(LogLevel::Error, &format!("command panicked command={command} error_code=internal location={}", panicked.location));
            let error = Error::from(panicked);
            Ok(failure(&request_id, 0, &error, &Redactor::default()))
        })
    })
}

/// Parses a command's arguments; a wrong shape is the one case that returns `Err`. The serde
/// message names the field; a value it quotes is scrubbed with `redactor` (the stored key).
fn parse<T: DeserializeOwned>(command: &str, args: Value, ctx: &dyn PluginContext, redactor: &Redactor) -> Result<T, PluginError> {
    serde_json::from_value(args).map_err(|e| {
        let message = redactor.scrub(&format!("{command}: invalid arguments: {e}"));
        ctx.log(LogLevel::Warn, &format!("command rejected command={command} reason=\"invalid arguments\""));
        PluginError::Serialization(message)
    })
}

/// `{ ok: false, requestId, elapsedMs, error }`.
fn failure(request_id: &str, elapsed_ms: u64, error: &Error, redactor: &Redactor) -> Value {
    json!({ "ok": false, "requestId": redactor.scrub(request_id), "elapsedMs": elapsed_ms, "error": error.to_json(redactor) })
}


/// The key a call through `endpoint` may send, checked before anything is sent: the profile id,
/// the base URL, the extra headers (no credentials in them), then, unless the profile sends no
/// key (`auth: "none"`), the origin the profile's key was saved for (`key_origin_mismatch` for
/// any other). Every call reads its key only here; [`crate::dialects::Target::check`] then puts
/// it in the profile's auth header.
pub(crate) fn call_key(custody: &KeyCustody, endpoint: &args::EndpointArgs) -> Result<Option<String>, Error> {
    // An endpoint setting: a bad id is `invalid_config`, as every other endpoint refusal.
    check_profile_id(&endpoint.profile_id)?;
    let profile = ProfileId::parse(&endpoint.profile_id)?;
    let base = Endpoint::check(&endpoint.base_url, endpoint.allow_insecure_http)?;
    if let Some(headers) = &endpoint.extra_headers {
        check_extra_headers(headers, &custody.stored_keys())?;
    }
    if endpoint.auth == AuthStyle::None {
        return Ok(None);
    }
    custody.for_call(&profile, &Origin::of(base.base()))
}
