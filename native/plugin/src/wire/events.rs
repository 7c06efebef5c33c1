//! Streamed image answers read as they arrive: the server-sent events of `images/generations`
//! and `images/edits` (`image_generation.partial_image` / `image_edit.partial_image`, then
//! `….completed` with the image, `usage` and the echoed size, quality, format and background) and of `responses`
//! (`response.image_generation_call.partial_image`, then `response.completed` with the whole
//! response). Each partial goes to a [`PartialSink`] at once; the final answer is the same
//! [`ImagesOut`] a plain call gives.
//!
//! The answer is complete at its terminal event (the last image's `….completed`,
//! `response.completed`, or a chat stream's `[DONE]`), whether or not the server then closes the
//! connection: a server or proxy that keeps it open must not turn a finished, paid generation
//! into a timeout.
//!
//! An answer that is not an event stream (an error status, or plain JSON from an endpoint that
//! ignores `stream`) is handed back whole for the caller's fallback.

use serde_json::Value;

use super::answers::{accept_image, read_responses, ImagesOut};
use super::chat;
use super::echo::Echo;
use super::sse::{SseError, SseReader};
use super::usage::Usage;
use crate::error::http::{provider_request_id, transport_error, PROVIDER_TEXT_CHARS};
use crate::error::Error;
use crate::http::transport::{InboundResponse, StreamingResponse, TransportFailure};
use crate::safety::redact::{truncate, Redactor};

/// One partial image as the stream delivered it.
#[derive(Clone, PartialEq, Eq)]
pub struct Partial {
    /// Which image of the request (0-based; the Responses API's parallel calls count too).
    pub image_index: u32,
    /// The provider's `partial_image_index` (0-based).
    pub partial_index: u32,
    /// Base64 image bytes.
    pub b64_json: String,
    /// `output_format` when the event names it.
    pub output_format: Option<String>,
}

impl std::fmt::Debug for Partial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Partial {{ image: {}, partial: {}, b64_json: {} chars }}", self.image_index, self.partial_index, self.b64_json.len())
    }
}

/// Where partial images go as they arrive.
pub trait PartialSink {
    /// A new partial image.
    fn partial(&self, partial: Partial);
    /// The final version of image `image_index` arrived: its partials are no preview any more.
    fn image_done(&self, image_index: u32);
}

/// Which API's events to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamApi {
    /// `images/generations` and `images/edits`.
    Images,
    /// `responses`.
    Responses,
    /// `chat/completions` chunks (`choices[].delta.images`), ended by `[DONE]`.
    Chat,
}

/// How a streaming request was answered.
pub enum Streamed {
    /// An event stream, read to its end.
    Events(ImagesOut),
    /// Not an event stream: the complete answer, for the plain reader or a fallback.
    NotAStream(InboundResponse),
}

/// A stream that ended before its final event: the endpoint may have generated (and billed) it.
fn cut_off() -> Error {
    Error::network(
        "The stream ended before the final image arrived; the endpoint may have run (and billed) the request.",
    )
    .with_reason("stream_cut")
}

fn not_a_stream_error() -> Error {
    Error::invalid_response("The endpoint's event stream is not readable (not UTF-8).")
}

fn too_large(status: u16, headers: Vec<(String, String)>, redactor: &Redactor) -> Error {
    transport_error(TransportFailure::TooLarge { status, headers }, redactor)
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
fn event_error(event: &Value, redactor: &Redactor) -> Error {
    let message = [event.pointer("/error/message"), event.pointer("/response/error/message"), event.get("message")]
        .into_iter()
        .flatten()
        .find_map(Value::as_str);
    match message.map(|m| truncate(&redactor.scrub(m), PROVIDER_TEXT_CHARS)) {
        Some(m) => Error::invalid_response(format!("The endpoint reported an error mid-stream: {m}")).with_provider_message(m),
        None => Error::invalid_response("The endpoint reported an error mid-stream."),
    }
}

/// What the events so far add up to.
#[derive(Default)]
struct Collected {
    out: ImagesOut,
    finished: bool,
    /// Chat: the model's text, quoted when it ends without an image.
    chat_text: String,
    /// Chat: `[DONE]` arrived (a usage chunk may follow the last `finish_reason`).
    chat_done: bool,
}

impl Collected {
    /// The terminal event arrived: `response.completed`, chat's `[DONE]` after an image, or the
    /// `….completed` of each of the `images` the request asked for.
    fn terminal(&self, api: StreamApi, images: u32) -> bool {
        self.finished
            && match api {
                StreamApi::Responses => true,
                StreamApi::Chat => self.chat_done,
                StreamApi::Images => self.out.data.len() >= images.max(1) as usize,
            }
    }

    fn take_event(&mut self, api: StreamApi, data: String, response: &StreamingResponse, sink: &impl PartialSink, redactor: &Redactor) -> Result<(), Error> {
        let parsed = serde_json::from_str::<Value>(&data);
        let Ok(mut event) = parsed else {
            if data.trim() == "[DONE]" {
                if api == StreamApi::Chat {
                    return self.end_chat(redactor);
                }
                return Ok(());
            }
            return Err(Error::invalid_response("The endpoint sent an event that is not JSON."));
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
                self.out.echo = Echo::merge(self.out.echo.take(), Echo::read(&event, redactor));
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
                let read = read_responses(plain, redactor)?;
                sink.image_done(0);
                self.out.created = read.created;
                self.out.data = read.data;
                self.out.usage = read.usage;
                self.out.echo = read.echo;
                self.finished = true;
            }
            (_, "error" | "response.failed" | "response.incomplete" | "response.error") => return Err(event_error(&event, redactor)),
            (StreamApi::Chat, _) if event.get("error").is_some_and(|e| !e.is_null()) => return Err(event_error(&event, redactor)),
            (StreamApi::Chat, _) => self.take_chat_chunk(&event, redactor)?,
            _ => {} // in_progress, generating, created, output_item.*: nothing to keep.
        }
        Ok(())
    }
}

impl Collected {
    /// One `chat.completion.chunk`: its images are complete ones, never partials.
    fn take_chat_chunk(&mut self, chunk: &Value, redactor: &Redactor) -> Result<(), Error> {
        for choice in chunk.get("choices").and_then(Value::as_array).into_iter().flatten() {
            if let Some(delta) = choice.get("delta") {
                self.out.data.extend(chat::images_of(delta, redactor)?);
                if let Some(text) = chat::text_of(delta).filter(|_| self.chat_text.len() < 4096) {
                    self.chat_text.push_str(&text);
                }
            }
            // A finish with images in hand is final, whether or not `[DONE]` follows.
            if choice.get("finish_reason").is_some_and(Value::is_string) && !self.out.data.is_empty() {
                self.finished = true;
            }
        }
        self.out.created = self.out.created.or_else(|| chunk.get("created").and_then(Value::as_u64));
        self.out.usage = chat::chat_usage(chunk.get("usage")).or(self.out.usage);
        Ok(())
    }

    /// `[DONE]`: the chat stream's terminal event.
    fn end_chat(&mut self, redactor: &Redactor) -> Result<(), Error> {
        if self.out.data.is_empty() {
            let text = Some(self.chat_text.as_str()).filter(|t| !t.trim().is_empty());
            return Err(chat::no_image(text, redactor));
        }
        self.finished = true;
        self.chat_done = true;
        Ok(())
    }
}

/// Reads a streaming answer of `images` images up to its terminal event (or the end of the body,
/// whichever comes first; the connection is dropped with the returned response). The size cap
/// counts every byte; cancellation and the time limit are the caller's race, which drops this
/// future and with it the connection.
pub async fn read(mut response: StreamingResponse, api: StreamApi, images: u32, max_body: u64, sink: &impl PartialSink, redactor: &Redactor) -> Result<Streamed, Error> {
    let provider_request_id = provider_request_id(&InboundResponse { status: response.status, headers: response.headers.clone(), body: Vec::new() }, None, redactor);
    if !(200..300).contains(&response.status) || !is_event_stream(&response) {
        let whole = response.collect(0, max_body).await.map_err(|f| transport_error(f, redactor))?;
        return Ok(Streamed::NotAStream(whole));
    }
    let status = response.status;
    let fail = |e: Error| e.with_status(status).with_provider_request_id(provider_request_id.clone());
    let mut reader = SseReader::default();
    let mut collected = Collected::default();
    let mut events = Vec::new();
    let mut read_bytes: u64 = 0;
    while !collected.terminal(api, images) {
        let chunk = match response.body.next_chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(TransportFailure::Io(_)) if !collected.finished => return Err(fail(cut_off())),
            Err(failure) => return Err(fail(transport_error(failure, redactor))),
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

