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
//! cancel_request         { requestId }                        → { ok: true, cancelled: bool }
//! request_progress       { requestId, after? }                → { ok: true, requestId, state: "streaming"|"ended"|"unknown", lastSeq, partials: [{ seq, imageIndex, partialIndex, b64_json, outputFormat? }] }
//! set_api_key            { apiKey }                           → { ok: true, apiKeySet: true, storage, notice? } | { ok: false, error }
//! clear_api_key          {}                                   → { ok: true, apiKeySet: false }
//! api_key_status         {}                                   → { ok: true, apiKeySet: bool, storage?, notice? }
//!     storage = "keychain" | "file" (only when a key is set); notice = "keychain_unavailable" | "key_unreadable"
//! save_image             { path, base64 }                     → { ok: true, bytes } | { ok: false, error: { code, message } }
//! endpoint = { baseUrl, apiType?: "images" | "responses", allowInsecureHttp?: bool }
//! ```
//!
//! Domain failures are `Ok` with `ok: false`; `Err` only for calls whose JSON does not have the
//! command's shape (missing or unknown keys, wrong types) and for a key no store could keep.
//! A panic in a handler answers `ok: false` with the `internal` error and is logged once with
//! its location.

use std::sync::{mpsc, Arc};
use std::time::Duration;

use hf_plugin_api::{IpcHandler, IpcRegistrar, LogLevel, PluginContext, PluginError};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::args::{
    self, ApiType, CallArgs, CancelArgs, EditRequest, EndpointArgs, GenerateRequest, ProgressArgs, ResponsesRequest,
    SetApiKeyArgs, TestConnectionArgs,
};
use crate::endpoint::Endpoint;
use crate::error::GatewayError;
use crate::gateway::Gateway;
use crate::key::{host_settings, KeyCustody, KeyStatus};
use crate::logging::{Outcome, RequestLog};
use crate::openai::{self, ImagesOut};
use crate::panic_guard::{self, CatchPanic};
use crate::progress::{Notice, ProgressSink};
use crate::redact::Redactor;
use crate::stream::{self, PlainOnlyEndpoints, StreamApi};
use crate::transport::{Body, BoxFuture, Method, OutboundRequest, Transport};
use crate::usage::Usage;
use crate::{PLUGIN_ID, PLUGIN_VERSION};

/// Every command name, in registration order.
pub const COMMANDS: &[&str] = &[
    "ping",
    "generate_images",
    "edit_images",
    "generate_via_responses",
    "cancel_request",
    "request_progress",
    "test_connection",
    "set_api_key",
    "clear_api_key",
    "api_key_status",
    "save_image",
];

/// Registers every command; handlers share `gateway` and the key's `custody`.
pub fn register_all(ipc: &mut dyn IpcRegistrar, gateway: Arc<Gateway>, custody: Arc<KeyCustody>) -> Result<(), PluginError> {
    ipc.register("ping", guarded("ping", |_args, _ctx| Ok(json!({ "id": PLUGIN_ID, "version": PLUGIN_VERSION }))))?;
    let (g, c) = (gateway.clone(), custody.clone());
    ipc.register("generate_images", guarded("generate_images", move |args, ctx| generate_images(&g, c.key(), args, ctx)))?;
    let (g, c) = (gateway.clone(), custody.clone());
    ipc.register("edit_images", guarded("edit_images", move |args, ctx| edit_images(&g, c.key(), args, ctx)))?;
    let (g, c) = (gateway.clone(), custody.clone());
    ipc.register("generate_via_responses", guarded("generate_via_responses", move |args, ctx| generate_via_responses(&g, c.key(), args, ctx)))?;
    let g = gateway.clone();
    ipc.register("cancel_request", guarded("cancel_request", move |args, _ctx| cancel_request(&g, args)))?;
    let g = gateway.clone();
    ipc.register("request_progress", guarded("request_progress", move |args, ctx| request_progress(&g, args, ctx)))?;
    let (g, c) = (gateway, custody.clone());
    ipc.register("test_connection", guarded("test_connection", move |args, ctx| test_connection(&g, c.key(), args, ctx)))?;
    let c = custody.clone();
    ipc.register("set_api_key", guarded("set_api_key", move |args, ctx| set_api_key(&c, args, ctx)))?;
    let c = custody.clone();
    ipc.register("clear_api_key", guarded("clear_api_key", move |args, ctx| clear_api_key(&c, args, ctx)))?;
    let c = custody;
    ipc.register("api_key_status", guarded("api_key_status", move |args, ctx| api_key_status(&c, args, ctx)))?;
    ipc.register("save_image", guarded("save_image", crate::save::save_image))?;
    Ok(())
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
            .filter(|id| args::check_request_id(id).is_ok())
            .unwrap_or_default()
            .to_string();
        panic_guard::catch(|| handler(args, ctx)).unwrap_or_else(|panicked| {
            ctx.log(LogLevel::Error, &format!("command panicked command={command} error_code=internal location={}", panicked.location));
            let error = GatewayError::internal(&panicked.location);
            Ok(failure(&request_id, 0, &error, &Redactor::default()))
        })
    })
}

/// Parses a command's arguments; a wrong shape is the one case that returns `Err`. The serde
/// message names the field, never echoes values.
fn parse<T: DeserializeOwned>(command: &str, args: Value, ctx: &dyn PluginContext) -> Result<T, PluginError> {
    serde_json::from_value(args).map_err(|e| {
        // serde_json's messages quote unknown keys and types, not values.
        let message = format!("{command}: invalid arguments: {e}");
        let message = crate::redact::redact(&message, &[]);
        ctx.log(LogLevel::Warn, &format!("command rejected command={command} reason=\"invalid arguments\""));
        PluginError::Serialization(message)
    })
}

fn failure(request_id: &str, elapsed_ms: u64, error: &GatewayError, redactor: &Redactor) -> Value {
    json!({ "ok": false, "requestId": redactor.scrub(request_id), "elapsedMs": elapsed_ms, "error": error.to_json(redactor) })
}

/// What a prepared image call needs to run.
struct Call {
    endpoint: Endpoint,
    timeout: Duration,
    max_body: u64,
}

fn prepare(endpoint: &EndpointArgs, expected: ApiType, timeout_ms: Option<u64>, max_bytes: Option<u64>) -> Result<Call, GatewayError> {
    let parsed = Endpoint::parse(&endpoint.base_url, endpoint.allow_insecure_http)?;
    if let Some(api) = endpoint.api_type {
        if api != expected {
            return Err(GatewayError::invalid_request(match api {
                ApiType::Responses => "This endpoint is set to the Responses API; call generate_via_responses.",
                ApiType::Images => "This endpoint is set to the Images API; call generate_images or edit_images.",
            }));
        }
    }
    Ok(Call {
        endpoint: parsed,
        timeout: Duration::from_millis(args::timeout_ms(timeout_ms, args::DEFAULT_TIMEOUT_MS)?),
        max_body: args::max_response_bytes(max_bytes)?,
    })
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Runs one image call end to end: log started, validate, register, send (relaying each partial
/// image of a streaming call as a plugin event), log the end, answer.
fn run_image_call(
    gateway: &Gateway,
    ctx: &dyn PluginContext,
    request_id: &str,
    operation: &'static str,
    fields: Vec<(&'static str, String)>,
    key: Option<String>,
    build: impl FnOnce(&Redactor, Option<String>) -> Result<(Call, WorkFn), GatewayError>,
) -> Value {
    let redactor = Redactor::new(key.clone());
    let mut all_fields = vec![("request_id", args::loggable_request_id(request_id)), ("gateway", "custom".to_string()), ("operation", operation.to_string())];
    all_fields.extend(fields);
    let mut log = RequestLog::start(ctx, redactor.clone(), "image request", all_fields);
    let progress = gateway.progress();
    let (notify, notices) = mpsc::channel();

    let outcome = (|| -> Result<ImagesOut, GatewayError> {
        args::check_request_id(request_id)?;
        let (call, work) = build(&redactor, key)?;
        let guard = gateway
            .registry()
            .begin(request_id)
            .map_err(|_| GatewayError::invalid_request("A request with this requestId is already running."))?;
        progress.begin(request_id);
        let sink = ProgressSink::new(progress.clone(), request_id, notify);
        let work = work(Work { transport: gateway.transport(), endpoint: call.endpoint, max_body: call.max_body, redactor: redactor.clone(), sink, plain_only: gateway.plain_only() });
        let emit = |notice: Notice| {
            // The host may not deliver plugin events (the poll is the sure path); a refusal is not an error.
            let _ = ctx.events().emit(PROGRESS_EVENT, notice.payload());
        };
        let outcome = gateway.run_observed(work, guard.token(), call.timeout, notices, emit);
        progress.end(request_id);
        outcome
    })();

    let elapsed_ms = log.elapsed_ms();
    match outcome {
        Ok(out) => {
            for (key, value) in out.usage.map(|u| u.log_fields()).unwrap_or_default() {
                log.note(key, value);
            }
            if let Some(fallback) = out.stream_fallback {
                log.note("stream_fallback", fallback.as_str().to_string());
            }
            log.finish(Outcome::Succeeded {
                status: out.status,
                outputs: out.data.len(),
                provider_request_id: out.provider_request_id.as_deref(),
            });
            let status = out.status;
            let provider_request_id = out.provider_request_id.clone().map(|id| redactor.scrub(&id));
            let mut answer = json!({ "ok": true, "requestId": request_id, "status": status, "elapsedMs": elapsed_ms });
            if let Some(id) = provider_request_id {
                answer["providerRequestId"] = json!(id);
            }
            if let Some(fallback) = out.stream_fallback {
                answer["streamFallback"] = json!(true);
                answer["streamFallbackReason"] = json!(fallback.as_str());
            }
            answer["result"] = out.into_result_json(&redactor);
            answer
        }
        Err(error) => {
            log.finish(Outcome::Failed(&error));
            failure(request_id, elapsed_ms, &error, &redactor)
        }
    }
}

/// The plugin event announcing a new partial image (wire name `plugin:<id>:request_progress`).
pub const PROGRESS_EVENT: &str = "request_progress";

/// What the async part of a call gets to run with.
struct Work {
    transport: Arc<dyn Transport>,
    endpoint: Endpoint,
    max_body: u64,
    redactor: Redactor,
    sink: ProgressSink,
    plain_only: Arc<PlainOnlyEndpoints>,
}

/// The async part of a call, built once validation passed.
type WorkFn = Box<dyn FnOnce(Work) -> BoxFuture<'static, Result<ImagesOut, GatewayError>> + Send>;

/// Sends one request, streaming when `partials` is set, and reads the answer.
fn send_and_read(work: &Work, request: OutboundRequest, api: StreamApi, partials: Option<u32>, sink: ProgressSink) -> BoxFuture<'static, Result<ImagesOut, GatewayError>> {
    let read_plain: stream::PlainReader = match api {
        StreamApi::Images => openai::read_images,
        StreamApi::Responses => openai::read_responses,
    };
    let (transport, redactor, max_body) = (work.transport.clone(), work.redactor.clone(), work.max_body);
    let plain_only = work.plain_only.clone();
    let base = work.endpoint.base().as_str().to_string();
    Box::pin(async move {
        if partials.is_none() {
            let response = transport.send(request, max_body).await.map_err(|f| openai::transport_error(f, &redactor))?;
            return read_plain(response, &redactor);
        }
        let call = stream::StreamingCall { request, api, base, max_body, read_plain };
        let (mut out, fallback) = stream::send(transport, call, plain_only, sink, redactor).await?;
        out.stream_fallback = fallback;
        Ok(out)
    })
}

fn generate_images(gateway: &Gateway, key: Option<String>, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: CallArgs<GenerateRequest> = parse("generate_images", args, ctx)?;
    let request = call.request;
    let fields = vec![
        ("model", request.model.clone()),
        ("size", opt(&request.size)),
        ("n", request.n.unwrap_or(1).to_string()),
        ("prompt_chars", request.prompt.chars().count().to_string()),
        ("stream", call.stream.to_string()),
    ];
    Ok(run_image_call(gateway, ctx, &call.request_id, "generate", fields, key, |_, key| {
        request.validate()?;
        let partials = args::stream_partials(call.stream, call.partial_images)?;
        let prepared = prepare(&call.endpoint, ApiType::Images, call.timeout_ms, call.max_response_bytes)?;
        let body = openai::generation_body(&request, partials);
        let work: WorkFn = Box::new(move |work| {
            let outbound = OutboundRequest { method: Method::Post, url: work.endpoint.url_for("images/generations"), bearer: key, body: Body::Json(body) };
            send_and_read(&work, outbound, StreamApi::Images, partials, work.sink.clone())
        });
        Ok((prepared, work))
    }))
}

fn edit_images(gateway: &Gateway, key: Option<String>, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: CallArgs<EditRequest> = parse("edit_images", args, ctx)?;
    let request = call.request;
    let fields = vec![
        ("model", opt(&request.model)),
        ("size", opt(&request.size)),
        ("n", request.n.unwrap_or(1).to_string()),
        ("images", request.images.len().to_string()),
        ("mask", request.mask.is_some().to_string()),
        ("prompt_chars", request.prompt.chars().count().to_string()),
        ("stream", call.stream.to_string()),
    ];
    Ok(run_image_call(gateway, ctx, &call.request_id, "edit", fields, key, |_, key| {
        let (images, mask) = request.validate()?;
        let partials = args::stream_partials(call.stream, call.partial_images)?;
        let prepared = prepare(&call.endpoint, ApiType::Images, call.timeout_ms, call.max_response_bytes)?;
        let form = openai::edit_form(&request, images, mask, partials);
        let work: WorkFn = Box::new(move |work| {
            let outbound = OutboundRequest { method: Method::Post, url: work.endpoint.url_for("images/edits"), bearer: key, body: Body::Multipart(form) };
            send_and_read(&work, outbound, StreamApi::Images, partials, work.sink.clone())
        });
        Ok((prepared, work))
    }))
}

fn generate_via_responses(gateway: &Gateway, key: Option<String>, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: CallArgs<ResponsesRequest> = parse("generate_via_responses", args, ctx)?;
    let request = call.request;
    let n = request.n.unwrap_or(1);
    let fields = vec![
        ("model", request.model.clone()),
        ("image_model", opt(&request.image_model)),
        ("size", opt(&request.size)),
        ("n", n.to_string()),
        ("images", request.images.len().to_string()),
        ("mask", request.mask.is_some().to_string()),
        ("prompt_chars", request.prompt.chars().count().to_string()),
        ("stream", call.stream.to_string()),
    ];
    Ok(run_image_call(gateway, ctx, &call.request_id, "responses", fields, key, |_, key| {
        let (images, mask) = request.validate()?;
        let partials = args::stream_partials(call.stream, call.partial_images)?;
        let prepared = prepare(&call.endpoint, ApiType::Responses, call.timeout_ms, call.max_response_bytes)?;
        let body = openai::responses_body(&request, &images, mask.as_ref(), partials);
        drop(images);
        let work: WorkFn = Box::new(move |work| {
            let outbound = OutboundRequest { method: Method::Post, url: work.endpoint.url_for("responses"), bearer: key, body: Body::Json(body) };
            // The Responses API makes one image per call: n calls in parallel, merged in order.
            Box::pin(async move {
                let mut calls = JoinSet::new();
                for index in 0..n {
                    let future = send_and_read(&work, outbound.clone(), StreamApi::Responses, partials, work.sink.with_image_offset(index));
                    calls.spawn(CatchPanic::new(async move { (index, future.await) }));
                }
                drop(work);
                let mut results = Vec::new();
                while let Some(joined) = calls.join_next().await {
                    // Tasks are never aborted, so a join error is a panic too.
                    let (index, result) = match joined {
                        Ok(Ok(done)) => done,
                        Ok(Err(panicked)) => return Err(GatewayError::internal(&panicked.location)),
                        Err(_) => return Err(GatewayError::internal("a parallel Responses call")),
                    };
                    results.push((index, result?));
                }
                results.sort_by_key(|(index, _)| *index);
                let mut merged = ImagesOut::default();
                for (_, out) in results {
                    merged.created = merged.created.or(out.created);
                    merged.provider_request_id = merged.provider_request_id.or(out.provider_request_id);
                    merged.status = out.status;
                    merged.usage = Usage::merge(merged.usage, out.usage);
                    merged.stream_fallback = merged.stream_fallback.or(out.stream_fallback);
                    merged.data.extend(out.data);
                }
                Ok(merged)
            })
        });
        Ok((prepared, work))
    }))
}

fn request_progress(gateway: &Gateway, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let args: ProgressArgs = parse("request_progress", args, ctx)?;
    let progress = gateway.progress().take(&args.request_id, args.after.unwrap_or(0));
    let partials: Vec<Value> = progress
        .partials
        .into_iter()
        .map(|(seq, partial)| {
            let mut item = json!({ "seq": seq, "imageIndex": partial.image_index, "partialIndex": partial.partial_index, "b64_json": partial.b64_json });
            if let Some(format) = partial.output_format {
                item["outputFormat"] = json!(format);
            }
            item
        })
        .collect();
    Ok(json!({ "ok": true, "requestId": args.request_id, "state": progress.state, "lastSeq": progress.last_seq, "partials": partials }))
}

fn cancel_request(gateway: &Gateway, args: Value) -> Result<Value, PluginError> {
    let args: CancelArgs = serde_json::from_value(args)
        .map_err(|e| PluginError::Serialization(format!("cancel_request: invalid arguments: {e}")))?;
    let cancelled = gateway.registry().cancel(&args.request_id);
    Ok(json!({ "ok": true, "cancelled": cancelled }))
}

fn test_connection(gateway: &Gateway, key: Option<String>, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: TestConnectionArgs = parse("test_connection", args, ctx)?;
    let redactor = Redactor::new(key.clone());
    let fields = vec![
        ("request_id", args::loggable_request_id(&call.request_id)),
        ("gateway", "custom".to_string()),
        ("operation", "test_connection".to_string()),
        ("key_set", key.is_some().to_string()),
    ];
    let log = RequestLog::start(ctx, redactor.clone(), "connection test", fields);

    let outcome = (|| -> Result<crate::transport::InboundResponse, GatewayError> {
        args::check_request_id(&call.request_id)?;
        let endpoint = Endpoint::parse(&call.endpoint.base_url, call.endpoint.allow_insecure_http)?;
        let timeout = Duration::from_millis(args::timeout_ms(call.timeout_ms, args::DEFAULT_TEST_TIMEOUT_MS)?);
        let guard = gateway
            .registry()
            .begin(&call.request_id)
            .map_err(|_| GatewayError::invalid_request("A request with this requestId is already running."))?;
        let transport = gateway.transport();
        let outbound = OutboundRequest { method: Method::Get, url: endpoint.url_for("models"), bearer: key, body: Body::Empty };
        let red = redactor.clone();
        let work = async move {
            transport.send(outbound, 8 * 1024 * 1024).await.map_err(|f| openai::transport_error(f, &red))
        };
        gateway.run(work, guard.token(), timeout)
    })();

    let elapsed_ms = log.elapsed_ms();
    match outcome {
        Ok(response) => {
            let status = response.status;
            let provider_request_id = openai::provider_request_id(&response, None);
            let success = (200..300).contains(&status);
            let models = if success { openai::read_models(&response) } else { openai::ModelsOut::default() };
            let auth_accepted = match status {
                200..=299 => Some(true),
                401 | 403 => Some(false),
                _ => None,
            };
            // The check itself worked; a non-2xx answer is still logged as a failure for diagnosis.
            let refusal = (!success).then(|| openai::http_error(&response, &redactor));
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

fn set_api_key(custody: &KeyCustody, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    // Never echo the arguments: they hold the key.
    let args: SetApiKeyArgs = serde_json::from_value(args)
        .map_err(|_| PluginError::Serialization("set_api_key: expected { apiKey: string }".into()))?;
    let key = args.api_key.trim();
    if let Err(error) = args::check_api_key(key) {
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

fn clear_api_key(custody: &KeyCustody, _args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    host_settings::move_key_out(ctx, custody);
    custody.clear().map_err(|failure| PluginError::Io(format!("The API key could not be removed: {failure}.")))?;
    ctx.log(LogLevel::Info, "api key cleared gateway=custom");
    Ok(key_status_answer(custody.status()))
}

fn api_key_status(custody: &KeyCustody, _args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    host_settings::move_key_out(ctx, custody);
    Ok(key_status_answer(custody.status()))
}
