//! The custom endpoint's API key, kept in the host-managed plugin settings under one dedicated
//! key. It is read here for each call and never returned to the frontend.

use hf_plugin_api::{PluginContext, PluginError};
use serde_json::{Map, Value};

/// The settings key that holds the API key. Other keys in the settings object are kept as they
/// are when the key is set or cleared.
pub const API_KEY_SETTING: &str = "customEndpointApiKey";

fn settings_object(ctx: &dyn PluginContext) -> Map<String, Value> {
    match ctx.settings() {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// The stored key, if any.
pub fn stored_api_key(ctx: &dyn PluginContext) -> Option<String> {
    settings_object(ctx)
        .get(API_KEY_SETTING)
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
}

/// Stores the key (merging into the existing settings).
pub fn store_api_key(ctx: &dyn PluginContext, key: &str) -> Result<(), PluginError> {
    let mut settings = settings_object(ctx);
    settings.insert(API_KEY_SETTING.into(), Value::String(key.to_string()));
    ctx.save_settings(Value::Object(settings))
}

/// Removes the key (keeping the other settings).
pub fn clear_api_key(ctx: &dyn PluginContext) -> Result<(), PluginError> {
    let mut settings = settings_object(ctx);
    if settings.remove(API_KEY_SETTING).is_some() {
        ctx.save_settings(Value::Object(settings))?;
    }
    Ok(())
}
