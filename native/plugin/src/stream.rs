//! Streamed image answers: the server-sent events of `images/generations`, `images/edits`
//! (`image_generation.partial_image` / `image_edit.partial_image`, then `….completed` with the
//! image and `usage`) and of `responses` (`response.image_generation_call.partial_image`, then
//! `response.completed` with the whole response), read as they arrive. Each partial goes to the
//! [`ProgressSink`] at once; the final answer is the same [`ImagesOut`] a plain call gives.
//!
//! An answer that is not an event stream (an error status, or plain JSON from an endpoint that
//! ignores `stream`) is handed back whole for the caller's fallback.

use std::collections::HashSet;
use std::sync::Mutex;

use serde_json::Value;

use crate::error::GatewayError;
use crate::openai::{self, accept_image, ImagesOut};
use crate::progress::{Partial, ProgressSink};
use crate::redact::{truncate, Redactor};
use crate::sse::{SseError, SseReader};
use crate::transport::{InboundResponse, StreamingResponse, TransportFailure};
use crate::usage::Usage;

/// Which API's events to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamApi {
    /// `images/generations` and `images/edits`.
    Images,
    /// `responses`.
    Responses,
}

/// How a streaming request was answered.
pub enum Streamed {
    /// An event stream, read to its end.
    Events(ImagesOut),
    /// Not an event stream: the complete answer, for the plain reader or a fallback.
    NotAStream(InboundResponse),
}

/// Endpoints (by base URL) that answered a streaming request with an error or plain JSON; later
/// requests to them go out plain. Kept in memory only, for the plugin's lifetime.
#[derive(Default)]
pub struct PlainOnlyEndpoints {
    bases: Mutex<HashSet<String>>,
}

impl PlainOnlyEndpoints {
    /// Whether this base URL is known not to stream.
    pub fn contains(&self, base: &str) -> bool {
        self.bases.lock().unwrap_or_else(|p| p.into_inner()).contains(base)
    }

    /// Remembers a base URL that does not stream (at most 256, oldest kept: a bound, not a cache).
    pub fn remember(&self, base: &str) {
        let mut bases = self.bases.lock().unwrap_or_else(|p| p.into_inner());
        if bases.len() < 256 {
            bases.insert(base.to_string());
        }
    }
}

/// A stream that ended before its final event: the endpoint may have generated (and billed) it.
fn cut_off() -> GatewayError {
    GatewayError::network(
        "The stream ended before the final image arrived; the endpoint may have run (and billed) the request.",
    )
    .with_reason("stream_cut")
}

fn not_a_stream_error() -> GatewayError {
    GatewayError::invalid_response("The endpoint's event stream is not readable (not UTF-8).")
}

fn too_large(status: u16, headers: Vec<(String, String)>, redactor: &Redactor) -> GatewayError {
    openai::transport_error(TransportFailure::TooLarge { status, headers }, redactor)
}

fn is_event_stream(response: &StreamingResponse) -> bool {
    response.header("content-type").is_some_and(|ct| ct.to_ascii_lowercase().starts_with("text/event-stream"))
}

fn index(value: &Value, key: &str) -> u32 {
    value.get(key).and_then(Value::as_u64).map_or(0, |n| n.min(u32::MAX as u64) as u32)
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Moves a string field out of the event (an image's base64 is not copied).
fn take_text(value: &mut Value, key: &str) -> Option<String> {
    match value.get_mut(key).map(Value::take) {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }
}

/// The provider's message inside an error event (`error.message`, `response.error.message`,
/// `message`).
fn event_error(event: &Value, redactor: &Redactor) -> GatewayError {
    let message = [event.pointer("/error/message"), event.pointer("/response/error/message"), event.get("message")]
        .into_iter()
        .flatten()
        .find_map(Value::as_str);
    match message.map(|m| truncate(&redactor.scrub(m), 200)) {
        Some(m) => GatewayError::invalid_response(format!("The endpoint reported an error mid-stream: {m}")).with_provider_message(m),
        None => GatewayError::invalid_response("The endpoint reported an error mid-stream."),
    }
}

/// What the events so far add up to.
#[derive(Default)]
struct Collected {
    out: ImagesOut,
    finished: bool,
}

impl Collected {
    fn take_event(&mut self, api: StreamApi, data: String, response: &StreamingResponse, sink: &ProgressSink, redactor: &Redactor) -> Result<(), GatewayError> {
        let parsed = serde_json::from_str::<Value>(&data);
        let Ok(mut event) = parsed else {
            if data.trim() == "[DONE]" {
                return Ok(());
            }
            return Err(GatewayError::invalid_response("The endpoint sent an event that is not JSON."));
        };
        drop(data);
        let kind = event.get("type").and_then(Value::as_str).unwrap_or_default();
        match (api, kind) {
            (StreamApi::Images, "image_generation.partial_image" | "image_edit.partial_image") => {
                let image = accept_image(take_text(&mut event, "b64_json"), None, None, redactor)?;
                sink.partial(Partial {
                    image_index: self.out.data.len() as u32,
                    partial_index: index(&event, "partial_image_index"),
                    b64_json: image.b64_json.unwrap_or_default(),
                    output_format: text(&event, "output_format"),
                });
            }
            (StreamApi::Images, "image_generation.completed" | "image_edit.completed") => {
                let image = accept_image(take_text(&mut event, "b64_json"), text(&event, "url"), text(&event, "revised_prompt"), redactor)?;
                sink.image_done(self.out.data.len() as u32);
                self.out.data.push(image);
                self.out.created = self.out.created.or_else(|| event.get("created_at").and_then(Value::as_u64));
                self.out.usage = Usage::merge(self.out.usage, event.get("usage").and_then(Usage::read));
                self.finished = true;
            }
            (StreamApi::Responses, "response.image_generation_call.partial_image") => {
                let image = accept_image(take_text(&mut event, "partial_image_b64"), None, None, redactor)?;
                sink.partial(Partial {
                    image_index: index(&event, "output_index"),
                    partial_index: index(&event, "partial_image_index"),
                    b64_json: image.b64_json.unwrap_or_default(),
                    output_format: text(&event, "output_format"),
                });
            }
            (StreamApi::Responses, "response.completed") => {
                let whole = event.get_mut("response").map(Value::take).unwrap_or(Value::Null);
                let plain = InboundResponse { status: response.status, headers: response.headers.clone(), body: whole.to_string().into_bytes() };
                let read = openai::read_responses(plain, redactor)?;
                sink.image_done(0);
                self.out.created = read.created;
                self.out.data = read.data;
                self.out.usage = read.usage;
                self.finished = true;
            }
            (_, "error" | "response.failed" | "response.incomplete" | "response.error") => return Err(event_error(&event, redactor)),
            _ => {} // in_progress, generating, created, output_item.*: nothing to keep.
        }
        Ok(())
    }
}

/// Reads a streaming answer. The size cap counts every byte; cancellation and the time limit
/// are the caller's race, which drops this future and with it the connection.
pub async fn read(mut response: StreamingResponse, api: StreamApi, max_body: u64, sink: &ProgressSink, redactor: &Redactor) -> Result<Streamed, GatewayError> {
    let provider_request_id = openai::provider_request_id(&InboundResponse { status: response.status, headers: response.headers.clone(), body: Vec::new() }, None);
    if !(200..300).contains(&response.status) || !is_event_stream(&response) {
        let whole = response.collect(0, max_body).await.map_err(|f| openai::transport_error(f, redactor))?;
        return Ok(Streamed::NotAStream(whole));
    }
    let status = response.status;
    let fail = |e: GatewayError| e.with_status(status).with_provider_request_id(provider_request_id.clone());
    let mut reader = SseReader::default();
    let mut collected = Collected::default();
    let mut events = Vec::new();
    let mut read_bytes: u64 = 0;
    loop {
        let chunk = match response.body.next_chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(TransportFailure::Io(_)) if !collected.finished => return Err(fail(cut_off())),
            Err(failure) => return Err(fail(openai::transport_error(failure, redactor))),
        };
        read_bytes += chunk.len() as u64;
        if read_bytes > max_body {
            return Err(fail(too_large(status, response.headers.clone(), redactor)));
        }
        reader.feed(&chunk, &mut events).map_err(|SseError::NotUtf8| fail(not_a_stream_error()))?;
        for event in events.drain(..) {
            collected.take_event(api, event.data, &response, sink, redactor).map_err(fail)?;
        }
    }
    if !collected.finished || collected.out.data.is_empty() {
        return Err(fail(cut_off()));
    }
    let mut out = collected.out;
    out.status = status;
    out.provider_request_id = provider_request_id;
    Ok(Streamed::Events(out))
}

/// Why a streaming request was answered without a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// The endpoint answered the streaming request with plain JSON (used as the answer: asking
    /// again would bill twice).
    PlainAnswer,
    /// The endpoint refused the streaming request; the plain request was sent once.
    Refused,
    /// The endpoint did so before; the request went out plain.
    Remembered,
}

impl Fallback {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Fallback::PlainAnswer => "plain_answer",
            Fallback::Refused => "refused",
            Fallback::Remembered => "remembered",
        }
    }
}

/// Statuses by which an endpoint says it does not take `stream` (unknown parameter, method or
/// media type); anything else (401, 429, 5xx) would fail the plain request as well.
fn refuses_streaming(status: u16) -> bool {
    matches!(status, 400 | 405 | 406 | 415 | 422 | 501)
}

/// How to read a complete (plain) answer.
pub type PlainReader = fn(InboundResponse, &Redactor) -> Result<ImagesOut, GatewayError>;

/// One streaming call, with everything its fallback needs.
pub struct StreamingCall {
    /// The request, with the streaming fields.
    pub request: crate::transport::OutboundRequest,
    /// Which API's events.
    pub api: StreamApi,
    /// The endpoint's base URL (the key of [`PlainOnlyEndpoints`]).
    pub base: String,
    /// The answer size cap.
    pub max_body: u64,
    /// Reader of a plain answer.
    pub read_plain: PlainReader,
}

/// Sends a streaming request and falls back to the plain one when the endpoint does not
/// stream: a plain JSON answer is the answer; a refusal sends the plain request once. Either
/// way the endpoint is remembered (only when the plain answer worked, so a refusal for another
/// reason, such as a bad size, does not turn streaming off).
pub async fn send(
    transport: std::sync::Arc<dyn crate::transport::Transport>,
    call: StreamingCall,
    plain_only: std::sync::Arc<PlainOnlyEndpoints>,
    sink: ProgressSink,
    redactor: Redactor,
) -> Result<(ImagesOut, Option<Fallback>), GatewayError> {
    let StreamingCall { request, api, base, max_body, read_plain } = call;
    let plain_request = || crate::transport::OutboundRequest { body: openai::without_stream(request.body.clone()), ..request.clone() };
    let send_plain = |outbound| async {
        let response = transport.send(outbound, max_body).await.map_err(|f| openai::transport_error(f, &redactor))?;
        read_plain(response, &redactor)
    };
    if plain_only.contains(&base) {
        return Ok((send_plain(plain_request()).await?, Some(Fallback::Remembered)));
    }
    let response = transport.send_streaming(request.clone(), max_body).await.map_err(|f| openai::transport_error(f, &redactor))?;
    let answer = match read(response, api, max_body, &sink, &redactor).await? {
        Streamed::Events(out) => return Ok((out, None)),
        Streamed::NotAStream(answer) => answer,
    };
    let (out, fallback) = if (200..300).contains(&answer.status) {
        (read_plain(answer, &redactor)?, Fallback::PlainAnswer)
    } else if refuses_streaming(answer.status) {
        drop(answer);
        (send_plain(plain_request()).await?, Fallback::Refused)
    } else {
        return Err(openai::http_error(&answer, &redactor));
    };
    plain_only.remember(&base);
    Ok((out, Some(fallback)))
}
