//! `set_api_key`, `clear_api_key` and `api_key_status`: the key goes into custody and never
//! comes back; the answers say whether one is set, where, and any notice.

use hf_plugin_api::{LogLevel, PluginContext, PluginError};
use serde_json::{json, Value};

use super::args::SetApiKeyArgs;
use super::Shared;
use crate::key::{check_api_key, host_settings, KeyStatus};
use crate::safety::redact::Redactor;

/// `{ ok: true, apiKeySet, storage?, notice? }`.
fn key_status_answer(status: KeyStatus) -> Value {
    let mut answer = json!({ "ok": true, "apiKeySet": status.key_set });
    if let Some(storage) = status.storage {
        answer["storage"] = json!(storage.as_str());
    }
    if let Some(notice) = status.notice {
        answer["notice"] = json!(notice.as_str());
    }
    answer
}

pub(super) fn set_api_key(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    // Never echo the arguments: they hold the key.
    let args: SetApiKeyArgs = serde_json::from_value(args)
        .map_err(|_| PluginError::Serialization("set_api_key: expected { apiKey: string }".into()))?;
    let key = args.api_key.trim();
    if let Err(error) = check_api_key(key) {
        return Ok(json!({ "ok": false, "error": error.to_json(&Redactor::new([args.api_key.clone()])) }));
    }
    host_settings::move_key_out(ctx, custody);
    let status = custody.store(key).map_err(|failure| {
        ctx.log(LogLevel::Warn, &format!("api key not stored gateway=custom reason=\"{failure}\""));
        PluginError::Io(format!("The API key could not be stored: {failure}."))
    })?;
    let notice = status.notice.map(|n| format!(" notice={}", n.as_str())).unwrap_or_default();
    ctx.log(LogLevel::Info, &format!("api key stored gateway=custom storage={}{notice}", status.storage.map_or("none", |s| s.as_str())));
    Ok(key_status_answer(status))
}

pub(super) fn clear_api_key(shared: &Shared, _args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    host_settings::move_key_out(ctx, custody);
    custody.clear().map_err(|failure| PluginError::Io(format!("The API key could not be removed: {failure}.")))?;
    ctx.log(LogLevel::Info, "api key cleared gateway=custom");
    Ok(key_status_answer(custody.status()))
}

pub(super) fn api_key_status(shared: &Shared, _args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    host_settings::move_key_out(ctx, custody);
    Ok(key_status_answer(custody.status()))
}
