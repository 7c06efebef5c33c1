//! Earlier versions kept the key in the host-managed plugin settings, which the host hands to any
//! frontend that asks. On load (and whenever a key command runs) a key found there is moved into
//! custody as the legacy key (bound to no origin until a profile adopts it) and removed from the
//! settings, with a log line that says where it went.

use hf_plugin_api::{LogLevel, PluginContext};
use serde_json::Value;

use super::{check_api_key, KeyCustody};

/// The settings key that earlier versions stored the API key under.
pub const LEGACY_API_KEY_SETTING: &str = "customEndpointApiKey";

/// Moves a key out of the host settings. The settings keep every other key. If custody cannot
/// take the key, the settings are left as they are (the key is never lost) and a warning says so.
pub fn move_key_out(ctx: &dyn PluginContext, custody: &KeyCustody) {
    let Value::Object(mut settings) = ctx.settings() else { return };
    let Some(found) = settings.remove(LEGACY_API_KEY_SETTING) else { return };
    let legacy = found.as_str().map(str::trim).filter(|key| check_api_key(key).is_ok()).map(str::to_string);
    let outcome = match &legacy {
        // A key set through this version already wins over an older copy.
        Some(_) if custody.legacy_key_set() => "the stored key was kept and the settings copy removed".to_string(),
        Some(key) => match custody.store_legacy(key) {
            Ok(status) => format!("storage={}", status.storage.map_or("none", |s| s.as_str())),
            Err(failure) => {
                ctx.log(LogLevel::Warn, &format!("api key left in host settings: it could not be stored elsewhere ({failure})"));
                return;
            }
        },
        None => "the settings value was not a usable key and was removed".to_string(),
    };
    match ctx.save_settings(Value::Object(settings)) {
        Ok(()) => ctx.log(LogLevel::Info, &format!("api key moved out of host settings {outcome}")),
        Err(_) => ctx.log(LogLevel::Warn, "api key could not be removed from host settings: the host refused to save them"),
    }
}
