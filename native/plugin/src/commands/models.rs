//! `list_models`: the endpoint profile's model list (`GET …/models`), each model flagged as an
//! image model where the listing says so (OpenRouter's `architecture.output_modalities`, Azure's
//! `capabilities.image_generation`); when the listing flags models, those it says do not output
//! images are left out. The panel caches the list per profile with `fetchedAt`.

use hf_plugin_api::{PluginContext, PluginError};
use serde_json::{json, Value};

use super::args::ListModelsArgs;
use super::connection::get_models;
use super::{call_key, failure, parse, Shared};
use crate::calls::log::{Outcome, RequestLog};
use crate::calls::registry::loggable_request_id;
use crate::error::http::{http_error, provider_request_id};
use crate::error::Error;
use crate::wire::answers::read_models;

pub(super) fn list_models(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let redactor = shared.custody.redactor();
    let call: ListModelsArgs = parse("list_models", args, ctx, &redactor)?;
    let key = call_key(&shared.custody, &call.endpoint);
    let fields = vec![
        ("request_id", loggable_request_id(&call.request_id)),
        ("gateway", "custom".to_string()),
        ("operation", "list_models".to_string()),
        ("dialect", call.endpoint.dialect.as_str().to_string()),
    ];
    let log = RequestLog::start(ctx, redactor.clone(), "model list", fields);
    let outcome = get_models(&shared.runtime, &call, key, &redactor).and_then(|response| {
        if !(200..300).contains(&response.status) {
            return Err(http_error(&response, &redactor));
        }
        let listed = read_models(&response);
        if !listed.listed {
            return Err(Error::invalid_response("The endpoint answered, but not with a model list.")
                .with_status(response.status)
                .with_provider_request_id(provider_request_id(&response, None, &redactor)));
        }
        Ok((response.status, provider_request_id(&response, None, &redactor), listed))
    });
    let elapsed_ms = log.elapsed_ms();
    match outcome {
        Ok((status, request_id, listed)) => {
            let flags = listed.image.iter().any(Option::is_some);
            let models: Vec<Value> = listed
                .ids
                .into_iter()
                .zip(listed.image)
                .filter(|(_, image)| !flags || *image != Some(false))
                .map(|(id, image)| json!({ "id": redactor.scrub(&id), "image": image }))
                .collect();
            log.finish(Outcome::Succeeded { status, outputs: models.len(), provider_request_id: request_id.as_deref() });
            let fetched_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
            Ok(json!({ "ok": true, "requestId": call.request_id, "models": models, "fetchedAt": fetched_at, "elapsedMs": elapsed_ms }))
        }
        Err(error) => {
            log.finish(Outcome::Failed(&error));
            Ok(failure(&call.request_id, elapsed_ms, &error, &redactor))
        }
    }
}
