//! `set_api_key`, `clear_api_key`, `api_key_status` and `adopt_legacy_key`: a key goes into
//! custody for one profile and the origin of one base URL, and never comes back; the answers say
//! whether one is set, where, and any notice.

use hf_plugin_api::{LogLevel, PluginContext, PluginError};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::args::{AdoptLegacyKeyArgs, ProfileArgs, SetApiKeyArgs};
use super::Shared;
use crate::error::Error;
use crate::key::{check_api_key, host_settings, KeyStatus, Origin, ProfileId};
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

/// `{ ok: false, error }`, scrubbed of `secrets`.
fn refusal(error: &Error, secrets: &Redactor) -> Value {
    json!({ "ok": false, "error": error.to_json(secrets) })
}

/// The arguments of a key command; never echoed (they may hold the key).
fn key_args<T: DeserializeOwned>(command: &str, shape: &str, args: Value) -> Result<T, PluginError> {
    serde_json::from_value(args).map_err(|_| PluginError::Serialization(format!("{command}: expected {shape}")))
}

pub(super) fn set_api_key(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    let args: SetApiKeyArgs = key_args("set_api_key", "{ profileId: string, baseUrl: string, apiKey: string }", args)?;
    let secrets = Redactor::new([args.api_key.clone()]);
    let key = args.api_key.trim();
    let checked = ProfileId::parse(&args.profile_id)
        .and_then(|profile| Ok((profile, Origin::of_base_url(&args.base_url)?)))
        .and_then(|bound| check_api_key(key).map(|()| bound));
    let (profile, origin) = match checked {
        Ok(bound) => bound,
        Err(error) => return Ok(refusal(&error, &secrets)),
    };
    host_settings::move_key_out(ctx, custody);
    let status = custody.store(&profile, &origin, key).map_err(|failure| {
        ctx.log(LogLevel::Warn, &format!("api key not stored gateway=custom profile={} reason=\"{failure}\"", profile.as_str()));
        PluginError::Io(format!("The API key could not be stored: {failure}."))
    })?;
    let notice = status.notice.map(|n| format!(" notice={}", n.as_str())).unwrap_or_default();
    ctx.log(
        LogLevel::Info,
        &format!("api key stored gateway=custom profile={} storage={}{notice}", profile.as_str(), status.storage.map_or("none", |s| s.as_str())),
    );
    Ok(key_status_answer(status))
}

pub(super) fn clear_api_key(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    let args: ProfileArgs = key_args("clear_api_key", "{ profileId: string }", args)?;
    let profile = match ProfileId::parse(&args.profile_id) {
        Ok(profile) => profile,
        Err(error) => return Ok(refusal(&error, &Redactor::default())),
    };
    host_settings::move_key_out(ctx, custody);
    let status = custody.clear(&profile).map_err(|failure| PluginError::Io(format!("The API key could not be removed: {failure}.")))?;
    ctx.log(LogLevel::Info, &format!("api key cleared gateway=custom profile={}", profile.as_str()));
    Ok(key_status_answer(status))
}

pub(super) fn api_key_status(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    let args: ProfileArgs = key_args("api_key_status", "{ profileId: string }", args)?;
    let profile = match ProfileId::parse(&args.profile_id) {
        Ok(profile) => profile,
        Err(error) => return Ok(refusal(&error, &Redactor::default())),
    };
    host_settings::move_key_out(ctx, custody);
    Ok(key_status_answer(custody.status(&profile)))
}

/// `{ ok: true, adopted, storage? }`: the key earlier versions kept (without a profile) becomes
/// this profile's, bound to the origin of `baseUrl`; `adopted: false` when there was none.
pub(super) fn adopt_legacy_key(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let custody = &shared.custody;
    let args: AdoptLegacyKeyArgs = key_args("adopt_legacy_key", "{ profileId: string, baseUrl: string }", args)?;
    let bound = ProfileId::parse(&args.profile_id).and_then(|profile| Ok((profile, Origin::of_base_url(&args.base_url)?)));
    let (profile, origin) = match bound {
        Ok(bound) => bound,
        Err(error) => return Ok(refusal(&error, &custody.redactor())),
    };
    host_settings::move_key_out(ctx, custody);
    let adopted = custody.adopt_legacy(&profile, &origin).map_err(|failure| {
        ctx.log(LogLevel::Warn, &format!("api key not adopted gateway=custom profile={} reason=\"{failure}\"", profile.as_str()));
        PluginError::Io(format!("The earlier API key could not be moved: {failure}."))
    })?;
    let mut answer = json!({ "ok": true, "adopted": adopted.is_some() });
    if let Some(storage) = adopted.and_then(|status| status.storage) {
        answer["storage"] = json!(storage.as_str());
        ctx.log(LogLevel::Info, &format!("api key adopted gateway=custom profile={} storage={}", profile.as_str(), storage.as_str()));
    }
    Ok(answer)
}
