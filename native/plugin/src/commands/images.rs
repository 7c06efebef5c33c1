//! `generate_images`, `edit_images` and `generate_via_responses`: validate, register, send
//! (relaying each partial image of a streaming call as a plugin event), log, answer.

use std::sync::{mpsc, Arc};
use std::time::Duration;

use hf_plugin_api::{PluginContext, PluginError};
use serde_json::{json, Value};
use tokio::task::JoinSet;

use super::args::{self, CallArgs, EndpointArgs};
use super::{call_key, failure, parse, Shared};
use crate::calls::log::{Outcome, RequestLog};
use crate::calls::progress::{Notice, ProgressSink};
use crate::calls::registry::{check_request_id, loggable_request_id};
use crate::calls::image_urls;
use crate::calls::streaming::{self, PlainOnlyEndpoints, StreamingCall};
use crate::dialects::target::check_profile_id;
use crate::dialects::{self, Prepared, Target};
use crate::error::http::transport_error;
use crate::error::Error;
use crate::http::endpoint::Endpoint;
use crate::http::transport::{BoxFuture, Transport};
use crate::safety::panic_guard::CatchPanic;
use crate::safety::redact::Redactor;
use crate::wire::answers::ImagesOut;
use crate::wire::echo::Echo;
use crate::wire::requests::{EditRequest, GenerateRequest, ResponsesRequest};
use crate::wire::usage::Usage;

/// What a prepared image call needs to run.
struct Call {
    endpoint: Endpoint,
    timeout: Duration,
    max_body: u64,
}

/// Checks the call's endpoint profile (binding the key to its auth header) and limits.
fn prepare<R>(call: &CallArgs<R>, key: Option<String>) -> Result<(Target, Call), Error> {
    let target = Target::check(&call.endpoint, key)?;
    let limits = Call {
        endpoint: target.endpoint.clone(),
        timeout: Duration::from_millis(args::timeout_ms(call.timeout_ms, args::DEFAULT_TIMEOUT_MS)?),
        max_body: args::max_response_bytes(call.max_response_bytes)?,
    };
    Ok((target, limits))
}

/// The profile and dialect a request goes through, for its log lines.
fn endpoint_fields(endpoint: &EndpointArgs) -> [(&'static str, String); 2] {
    let profile = if check_profile_id(&endpoint.profile_id).is_ok() { endpoint.profile_id.clone() } else { "[invalid]".to_string() };
    [("profile", profile), ("dialect", endpoint.dialect.as_str().to_string())]
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Runs one image call end to end: log started, validate, register, send (relaying each partial
/// image of a streaming call as a plugin event), log the end, answer.
fn run_image_call(
    shared: &Shared,
    ctx: &dyn PluginContext,
    request_id: &str,
    operation: &'static str,
    endpoint_fields: [(&'static str, String); 2],
    fields: Vec<(&'static str, String)>,
    key: Result<Option<String>, Error>,
    build: impl FnOnce(&Redactor, Option<String>) -> Result<(Call, WorkFn), Error>,
) -> Value {
    // Every stored key is scrubbed from what this call logs and answers.
    let (runtime, redactor) = (&shared.runtime, shared.custody.redactor());
    let mut all_fields = vec![("request_id", loggable_request_id(request_id)), ("gateway", "custom".to_string()), ("operation", operation.to_string())];
    all_fields.extend(endpoint_fields);
    all_fields.extend(fields);
    let mut log = RequestLog::start(ctx, redactor.clone(), "image request", all_fields);
    let progress = runtime.progress();
    let (notify, notices) = mpsc::channel();

    let outcome = (|| -> Result<ImagesOut, Error> {
        check_request_id(request_id)?;
        let (call, work) = build(&redactor, key?)?;
        let guard = runtime.registry().begin(request_id)?;
        progress.begin(request_id);
        let sink = ProgressSink::new(progress.clone(), request_id, notify);
        let work = work(Work { transport: runtime.transport(), endpoint: call.endpoint, max_body: call.max_body, redactor: redactor.clone(), sink, plain_only: runtime.plain_only() });
        let emit = |notice: Notice| {
            // The host may not deliver plugin events (the poll is the sure path); a refusal is not an error.
            let _ = ctx.events().emit(PROGRESS_EVENT, notice.payload());
        };
        let outcome = runtime.run_observed(work, guard.token(), call.timeout, notices, emit);
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
            // What the answer says it made, beside the result (which keeps OpenAI's shape).
            if let Some(echo) = &out.echo {
                answer["echo"] = echo.to_json();
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
const PROGRESS_EVENT: &str = "request_progress";

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
type WorkFn = Box<dyn FnOnce(Work) -> BoxFuture<'static, Result<ImagesOut, Error>> + Send>;

/// Sends one prepared request for `images` images, streaming when `partials` is set, reads the
/// answer and keeps images answered as links.
fn send_and_read(work: &Work, prepared: Prepared, images: u32, partials: Option<u32>, sink: ProgressSink) -> BoxFuture<'static, Result<ImagesOut, Error>> {
    let Prepared { request, read_plain, stream_api } = prepared;
    let (transport, redactor, max_body) = (work.transport.clone(), work.redactor.clone(), work.max_body);
    let plain_only = work.plain_only.clone();
    let base = work.endpoint.base().as_str().to_string();
    Box::pin(async move {
        let out = if partials.is_none() {
            let response = transport.send(request, max_body).await.map_err(|f| transport_error(f, &redactor))?;
            read_plain(response, &redactor)?
        } else {
            let call = StreamingCall { request, api: stream_api, images, base, max_body, read_plain };
            let (mut out, fallback) = streaming::send(transport.clone(), call, plain_only, sink, redactor.clone()).await?;
            out.stream_fallback = fallback;
            out
        };
        image_urls::keep(out, transport, max_body, &redactor).await
    })
}

pub(super) fn generate_images(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: CallArgs<GenerateRequest> = parse("generate_images", args, ctx, &shared.custody.redactor())?;
    let key = call_key(&shared.custody, &call.endpoint);
    let request = &call.request;
    let fields = vec![
        ("model", request.model.clone()),
        ("size", opt(&request.size)),
        ("n", request.n.unwrap_or(1).to_string()),
        ("prompt_chars", request.prompt.chars().count().to_string()),
        ("stream", call.stream.to_string()),
    ];
    Ok(run_image_call(shared, ctx, &call.request_id, "generate", endpoint_fields(&call.endpoint), fields, key, |_, key| {
        request.validate()?;
        let partials = args::stream_partials(call.stream, call.partial_images)?;
        let (target, limits) = prepare(&call, key)?;
        let prepared = dialects::of(target.dialect).generate(&target, request, partials)?;
        let n = request.n.unwrap_or(1);
        let work: WorkFn = Box::new(move |work| send_and_read(&work, prepared, n, partials, work.sink.clone()));
        Ok((limits, work))
    }))
}

pub(super) fn edit_images(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: CallArgs<EditRequest> = parse("edit_images", args, ctx, &shared.custody.redactor())?;
    let key = call_key(&shared.custody, &call.endpoint);
    let request = &call.request;
    let fields = vec![
        ("model", opt(&request.model)),
        ("size", opt(&request.size)),
        ("n", request.n.unwrap_or(1).to_string()),
        ("images", request.images.len().to_string()),
        ("mask", request.mask.is_some().to_string()),
        ("prompt_chars", request.prompt.chars().count().to_string()),
        ("stream", call.stream.to_string()),
    ];
    Ok(run_image_call(shared, ctx, &call.request_id, "edit", endpoint_fields(&call.endpoint), fields, key, |_, key| {
        let (images, mask) = request.validate()?;
        let partials = args::stream_partials(call.stream, call.partial_images)?;
        let (target, limits) = prepare(&call, key)?;
        let prepared = dialects::of(target.dialect).edit(&target, request, images, mask, partials)?;
        let n = request.n.unwrap_or(1);
        let work: WorkFn = Box::new(move |work| send_and_read(&work, prepared, n, partials, work.sink.clone()));
        Ok((limits, work))
    }))
}

pub(super) fn generate_via_responses(shared: &Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let call: CallArgs<ResponsesRequest> = parse("generate_via_responses", args, ctx, &shared.custody.redactor())?;
    let key = call_key(&shared.custody, &call.endpoint);
    let request = &call.request;
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
    Ok(run_image_call(shared, ctx, &call.request_id, "responses", endpoint_fields(&call.endpoint), fields, key, |_, key| {
        let (images, mask) = request.validate()?;
        let partials = args::stream_partials(call.stream, call.partial_images)?;
        let (target, limits) = prepare(&call, key)?;
        let prepared = dialects::of(target.dialect).responses(&target, &request, &images, mask.as_ref(), partials)?;
        drop(images);
        let Prepared { request: outbound, read_plain, stream_api } = prepared;
        let work: WorkFn = Box::new(move |work| {
            // The Responses API makes one image per call: n calls in parallel, merged in order.
            Box::pin(async move {
                let mut calls = JoinSet::new();
                for index in 0..n {
                    let prepared = Prepared { request: outbound.clone(), read_plain, stream_api };
                    let future = send_and_read(&work, prepared, 1, partials, work.sink.with_image_offset(index));
                    calls.spawn(CatchPanic::new(async move { (index, future.await) }));
                }
                drop(work);
                let mut results = Vec::new();
                while let Some(joined) = calls.join_next().await {
                    // Tasks are never aborted, so a join error is a panic too.
                    let (index, result) = match joined {
                        Ok(Ok(done)) => done,
                        Ok(Err(panicked)) => return Err(panicked.into()),
                        Err(_) => return Err(Error::internal("a parallel Responses call")),
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
                    merged.echo = Echo::merge(merged.echo, out.echo);
                    merged.stream_fallback = merged.stream_fallback.or(out.stream_fallback);
                    merged.data.extend(out.data);
                }
                Ok(merged)
            })
        });
        Ok((limits, work))
    }))
}

