//! `test_connection`: `GET {base}/models`, and what its answer says about reach, key and models.

use std::time::Duration;

use hf_plugin_api::{PluginContext, PluginError};
use serde_json::{json, Value};

use super::args::{self, TestConnectionArgs};
use super::{call_key, failure, parse, Shared};
use crate::calls::log::{Outcome, RequestLog};
use crate::calls::registry::{check_request_id, loggable_request_id};
use crate::error::http::{http_error, provider_request_id, transport_error};
use crate::error::Error;
use crate::http::endpoint::Endpoint;
use crate::http::transport::{Body, InboundResponse, Method, OutboundRequest};
use crate::wire::answers::{read_models, ModelsOut};

pub(super) fn test_connection(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let redactor = shared.custody.redactor();
    let call: TestConnectionArgs = parse("test_connection", args, ctx, &redactor)?;
    let key = call_key(&shared.custody, &call.endpoint);
    let runtime = &shared.runtime;
    let fields = vec![
        ("request_id", loggable_request_id(&call.request_id)),
        ("gateway", "custom".to_string()),
        ("operation", "test_connection".to_string()),
        ("key_set", key.as_ref().is_ok_and(Option::is_some).to_string()),
    ];
    let log = RequestLog::start(ctx, redactor.clone(), "connection test", fields);

    let outcome = (|| -> Result<InboundResponse, Error> {
        check_request_id(&call.request_id)?;
        let key = key?;
        let endpoint = Endpoint::check(&call.endpoint.base_url, call.endpoint.allow_insecure_http)?;
        let timeout = Duration::from_millis(args::timeout_ms(call.timeout_ms, args::DEFAULT_TEST_TIMEOUT_MS)?);
        let guard = runtime.registry().begin(&call.request_id)?;
        let transport = runtime.transport();
        let outbound = OutboundRequest { method: Method::Get, url: endpoint.url_for("models"), bearer: key, body: Body::Empty };
        let red = redactor.clone();
        let work = async move {
            transport.send(outbound, 8 * 1024 * 1024).await.map_err(|f| transport_error(f, &red))
        };
        runtime.run(work, guard.token(), timeout)
    })();

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

