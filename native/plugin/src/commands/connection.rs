//! `test_connection`: `GET …/models` of the endpoint profile, and what its answer says about
//! reach, key and models.

use std::time::Duration;

use hf_plugin_api::{PluginContext, PluginError};
use serde_json::{json, Value};

use super::args::{self, TestConnectionArgs};
use super::{call_key, failure, parse, Shared};
use crate::calls::log::{Outcome, RequestLog};
use crate::calls::registry::{check_request_id, loggable_request_id};
use crate::calls::runtime::Runtime;
use crate::dialects::{self, Target};
use crate::error::http::{http_error, provider_request_id, transport_error};
use crate::error::Error;
use crate::http::transport::InboundResponse;
use crate::safety::redact::Redactor;
use crate::wire::answers::{read_models, ModelsOut};

/// Largest model list read.
const MAX_MODELS_BYTES: u64 = 8 * 1024 * 1024;

/// `GET …/models` of the call's endpoint profile, raced against its time limit and cancel. `key`
/// is what [`call_key`] answered: its refusal (`key_origin_mismatch`, a credential extra header)
/// ends the call before anything is sent.
pub(super) fn get_models(runtime: &Runtime, call: &TestConnectionArgs, key: Result<Option<String>, Error>, redactor: &Redactor) -> Result<InboundResponse, Error> {
    check_request_id(&call.request_id)?;
    let target = Target::check(&call.endpoint, key?)?;
    let dialect = dialects::of(target.dialect);
    let Some(outbound) = dialect.models(&target) else {
        return Err(Error::invalid_request(format!("This endpoint's API ({}) has no model list.", dialect.name())));
    };
    let timeout = Duration::from_millis(args::timeout_ms(call.timeout_ms, args::DEFAULT_TEST_TIMEOUT_MS)?);
    let guard = runtime.registry().begin(&call.request_id)?;
    let transport = runtime.transport();
    let red = redactor.clone();
    let work = async move { transport.send(outbound, MAX_MODELS_BYTES).await.map_err(|f| transport_error(f, &red)) };
    runtime.run(work, guard.token(), timeout)
}

pub(super) fn test_connection(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let redactor = shared.custody.redactor();
    let call: TestConnectionArgs = parse("test_connection", args, ctx, &redactor)?;
    let key = call_key(&shared.custody, &call.endpoint);
    let runtime = &shared.runtime;
    let fields = vec![
        ("request_id", loggable_request_id(&call.request_id)),
        ("gateway", "custom".to_string()),
        ("operation", "test_connection".to_string()),
        ("dialect", call.endpoint.dialect.as_str().to_string()),
        ("key_set", key.as_ref().is_ok_and(Option::is_some).to_string()),
    ];
    let log = RequestLog::start(ctx, redactor.clone(), "connection test", fields);

    let outcome = get_models(runtime, &call, key, &redactor);

    let elapsed_ms = log.elapsed_ms();
    match outcome {
        Ok(response) => {
            let status = response.status;
            let provider_request_id = provider_request_id(&response, None, &redactor);
            let success = (200..300).contains(&status);
            let models = if success { read_models(&response) } else { ModelsOut::default() };
            let auth_accepted = match status {
                200..=299 => Some(true),
                401 | 403 => Some(false),
                _ => None,
            };
            // The check itself worked; a non-2xx answer is still logged as a failure for diagnosis.
            let refusal = (!success).then(|| http_error(&response, &redactor));
            match &refusal {
                None => log.finish(Outcome::Succeeded { status, outputs: models.ids.len(), provider_request_id: provider_request_id.as_deref() }),
                Some(error) => log.finish(Outcome::Failed(error)),
            }
            let mut answer = json!({
                "ok": true,
                "requestId": call.request_id,
                "reachable": true,
                "authAccepted": auth_accepted,
                "modelsListed": models.listed,
                "modelCount": models.ids.len(),
                "models": models.ids,
                "status": status,
                "elapsedMs": elapsed_ms,
            });
            if let Some(id) = provider_request_id {
                answer["providerRequestId"] = json!(redactor.scrub(&id));
            }
            if let Some(error) = refusal {
                answer["detail"] = json!(redactor.scrub(&error.details().message));
                // The provider's own words, apart from ours: the panel quotes only these.
                if let Some(text) = &error.details().provider_message {
                    answer["providerMessage"] = json!(redactor.scrub(text));
                }
            } else if !models.listed {
                answer["detail"] = json!("The endpoint answered, but not with a model list.");
            }
            Ok(answer)
        }
        Err(error) => {
            log.finish(Outcome::Failed(&error));
            Ok(failure(&call.request_id, elapsed_ms, &error, &redactor))
        }
    }
}

