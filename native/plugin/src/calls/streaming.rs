//! Streaming calls and their fallback: an endpoint that answers a streaming request with plain
//! JSON has that answer used; one that refuses the streaming fields gets the plain request once;
//! either way it is remembered and later streaming calls to it go out plain.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use super::progress::ProgressSink;
use crate::error::http::{http_error, transport_error};
use crate::error::Error;
use crate::http::transport::{InboundResponse, OutboundRequest, Transport};
use crate::safety::redact::Redactor;
use crate::wire::answers::{Fallback, ImagesOut};
use crate::wire::bodies::without_stream;
use crate::wire::events::{self, StreamApi, Streamed};

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

/// Statuses by which an endpoint says it does not take `stream` (unknown parameter, method or
/// media type); anything else (401, 429, 5xx) would fail the plain request as well.
fn refuses_streaming(status: u16) -> bool {
    matches!(status, 400 | 405 | 406 | 415 | 422 | 501)
}

/// How to read a complete (plain) answer.
pub type PlainReader = fn(InboundResponse, &Redactor) -> Result<ImagesOut, Error>;

/// One streaming call, with everything its fallback needs.
pub struct StreamingCall {
    /// The request, with the streaming fields.
    pub request: OutboundRequest,
    /// Which API's events.
    pub api: StreamApi,
    /// How many images the request asks for (its stream ends at the last one's final event).
    pub images: u32,
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
    transport: Arc<dyn Transport>,
    call: StreamingCall,
    plain_only: Arc<PlainOnlyEndpoints>,
    sink: ProgressSink,
    redactor: Redactor,
) -> Result<(ImagesOut, Option<Fallback>), Error> {
    let StreamingCall { request, api, images, base, max_body, read_plain } = call;
    let plain_request = || OutboundRequest { body: without_stream(request.body.clone()), ..request.clone() };
    let send_plain = |outbound| async {
        let response = transport.send(outbound, max_body).await.map_err(|f| transport_error(f, &redactor))?;
        read_plain(response, &redactor)
    };
    if plain_only.contains(&base) {
        return Ok((send_plain(plain_request()).await?, Some(Fallback::Remembered)));
    }
    let response = transport.send_streaming(request.clone(), max_body).await.map_err(|f| transport_error(f, &redactor))?;
    let answer = match events::read(response, api, images, max_body, &sink, &redactor).await? {
        Streamed::Events(out) => return Ok((out, None)),
        Streamed::NotAStream(answer) => answer,
    };
    let (out, fallback) = if (200..300).contains(&answer.status) {
        (read_plain(answer, &redactor)?, Fallback::PlainAnswer)
    } else if refuses_streaming(answer.status) {
        drop(answer);
        (send_plain(plain_request()).await?, Fallback::Refused)
    } else {
        return Err(http_error(&answer, &redactor));
    };
    plain_only.remember(&base);
    Ok((out, Some(fallback)))
}
