//! What the endpoint answered, as an [`Error`]: an HTTP status with the provider's words, or a
//! transport failure; and the facts every answer may carry (the provider's request id,
//! Retry-After).

use serde_json::Value;

use super::{Error, ErrorCode};
use crate::http::transport::{InboundResponse, TransportFailure};
use crate::safety::redact::{truncate, Redactor};

/// Provider text inside our messages is cut to this many characters.
pub const PROVIDER_TEXT_CHARS: usize = 200;

/// The provider's request id: headers `x-request-id`, `request-id`, `openai-request-id`,
/// `cf-ray`, then the error body's `request_id`. Only short plain ids are kept, without the call's
/// secrets (a provider may echo the key there); the patterns apply when the id leaves the crate.
pub fn provider_request_id(response: &InboundResponse, body: Option<&Value>, redactor: &Redactor) -> Option<String> {
    let from_headers = ["x-request-id", "request-id", "openai-request-id", "cf-ray"]
        .iter()
        .find_map(|name| response.header(name).map(str::to_string));
    let from_body = || {
        let body = body?;
        [body.get("request_id"), body.pointer("/error/request_id"), body.pointer("/error/requestId")]
            .into_iter()
            .flatten()
            .find_map(|v| v.as_str().map(str::to_string))
    };
    from_headers
        .or_else(from_body)
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty() && id.len() <= 200 && id.bytes().all(|b| b.is_ascii_graphic()))
        .map(|id| redactor.remove_secrets(&id))
}

/// Retry-After as milliseconds: `retry-after-ms`, else `retry-after` seconds; capped at a day.
pub fn retry_after_ms(response: &InboundResponse) -> Option<u64> {
    let ms = response
        .header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .or_else(|| response.header("retry-after").and_then(|v| v.trim().parse::<f64>().ok()).map(|s| s * 1000.0))?;
    (ms.is_finite() && ms >= 0.0).then(|| (ms as u64).min(86_400_000))
}

pub(crate) fn is_json(response: &InboundResponse) -> bool {
    response.header("content-type").is_none_or(|ct| ct.to_ascii_lowercase().contains("json"))
}

pub(crate) fn looks_like_html(response: &InboundResponse) -> bool {
    response.header("content-type").is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
        || response.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The provider's own error text: OpenAI `error.message`, problem+json `detail`/`title`, or a
/// plain `message`/`error` string.
pub(crate) fn provider_message(body: &Value) -> Option<String> {
    [body.pointer("/error/message"), body.get("detail"), body.get("title"), body.get("message"), body.get("error")]
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().map(str::to_string))
        .filter(|m| !m.trim().is_empty())
}

/// The code of a non-2xx status, and our summary of it: 400/422 → invalid_request, 401, 403, 404,
/// 408 → timeout, 413, 429, 502/504/524 (a proxy that gave up waiting: nginx, Cloudflare) →
/// gateway_timeout, other 5xx → server_error, 3xx → invalid_response (redirects are never
/// followed), any other 4xx → invalid_request.
fn status_code(status: u16) -> (ErrorCode, &'static str) {
    match status {
        300..=399 => (ErrorCode::InvalidResponse, "The endpoint redirected the request; enter the final URL as the base URL"),
        400 | 422 => (ErrorCode::InvalidRequest, "The endpoint rejected the request"),
        401 => (ErrorCode::Unauthorized, "The endpoint did not accept the API key"),
        403 => (ErrorCode::Forbidden, "The API key is not allowed to do this"),
        404 => (ErrorCode::NotFound, "The endpoint does not know this path or model"),
        408 => (ErrorCode::Timeout, "The endpoint timed out"),
        413 => (ErrorCode::PayloadTooLarge, "The request is too large for the endpoint"),
        429 => (ErrorCode::RateLimited, "The endpoint is rate limiting requests"),
        502 | 504 | 524 => (ErrorCode::GatewayTimeout, "A proxy in front of the endpoint gave up waiting; the request may still have run"),
        500..=599 => (ErrorCode::ServerError, "The endpoint failed"),
        _ => (ErrorCode::InvalidRequest, "The endpoint refused the request"),
    }
}

/// Maps a non-2xx answer to an error with the provider's (redacted, cut) message.
pub fn http_error(response: &InboundResponse, redactor: &Redactor) -> Error {
    let status = response.status;
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let request_id = provider_request_id(response, body.as_ref(), redactor);
    let (code, summary) = status_code(status);
    // The provider's own words go apart from ours (the panel quotes only them); a page that is not
    // JSON is described by a reason, never quoted.
    let (provider, reason) = match &body {
        Some(body) => (provider_message(body).map(|text| truncate(&redactor.scrub(&text), PROVIDER_TEXT_CHARS)), None),
        None if looks_like_html(response) => (None, Some("html_page")),
        None if response.body.is_empty() => (None, None),
        None => (None, Some("not_json")),
    };
    let message = match (&provider, reason) {
        (Some(text), _) => format!("{summary} (HTTP {status}): {text}"),
        (None, Some("html_page")) => format!("{summary} (HTTP {status}): it answered with an HTML page instead of JSON."),
        (None, Some(_)) => format!("{summary} (HTTP {status}): its answer was not JSON."),
        (None, None) => format!("{summary} (HTTP {status})."),
    };
    let mut error = Error::new(code, message);
    if let Some(text) = provider {
        error = error.with_provider_message(text);
    }
    if let Some(reason) = reason.or((300..=399).contains(&status).then_some("redirect")) {
        error = error.with_reason(reason);
    }
    error
        .with_status(status)
        .with_provider_request_id(request_id)
        .with_retry_after_ms(if status == 429 || status == 503 { retry_after_ms(response) } else { None })
}

/// Maps a transport failure.
pub fn transport_error(failure: TransportFailure, redactor: &Redactor) -> Error {
    match failure {
        TransportFailure::Connect(detail) => {
            // Refused, DNS or TLS: no request byte reached the provider.
            Error::network(format!("Could not connect to the endpoint: {}", truncate(&redactor.scrub(&detail), PROVIDER_TEXT_CHARS)))
                .with_sent(false)
                .with_reason("connect_failed")
        }
        // The connection was open and the request on its way: a reset now is what a proxy does
        // when it gives up, and the provider may have run it. The HTTP client's own words (e.g.
        // "client error (SendRequest)") stay in the message for the log; the panel words the reason.
        TransportFailure::Io(detail) => Error::new(
            ErrorCode::GatewayTimeout,
            format!("The connection to the endpoint broke after the request was sent: {}", truncate(&redactor.scrub(&detail), PROVIDER_TEXT_CHARS)),
        )
        .with_reason("connection_broke"),
        TransportFailure::Timeout(detail) => Error::timeout(format!(
            "The endpoint did not answer in time: {}",
            truncate(&redactor.scrub(&detail), PROVIDER_TEXT_CHARS)
        )),
        TransportFailure::TooLarge { status, headers } => {
            let response = InboundResponse { status, headers, body: Vec::new() };
            // The provider answered, so it ran the request; only its answer was refused here.
            Error::new(ErrorCode::PayloadTooLarge, "The endpoint's answer is larger than the size limit.")
                .with_status(status)
                .with_may_have_run(true)
                .with_provider_request_id(provider_request_id(&response, None, redactor))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::transport::tests::answer;

    #[test]
    fn rate_limit_carries_retry_after_and_the_provider_request_id() {
        let error = http_error(&answer(429, &[("retry-after", "2"), ("x-request-id", "req_9")], r#"{"error":{"message":"Slow down"}}"#), &Redactor::default());
        assert_eq!(error.code().as_str(), "rate_limited");
        assert_eq!(error.details().retry_after_ms, Some(2000));
        assert_eq!(error.details().provider_request_id.as_deref(), Some("req_9"));
        assert!(error.details().message.contains("Slow down"));
    }

    #[test]
    fn a_proxy_that_gave_up_or_a_reset_after_sending_is_a_gateway_timeout_that_may_have_run() {
        for status in [502, 504, 524] {
            let error = http_error(&answer(status, &[("content-type", "text/html")], "<html>A timeout occurred</html>"), &Redactor::default());
            assert_eq!(error.code(), ErrorCode::GatewayTimeout, "{status}");
            assert_eq!((error.sent(), error.may_have_run()), (true, true), "{status}");
        }
        for status in [500, 503] {
            assert_eq!(http_error(&answer(status, &[], "{}"), &Redactor::default()).code(), ErrorCode::ServerError, "{status}");
        }
        let reset = transport_error(TransportFailure::Io("connection reset by peer".into()), &Redactor::default());
        assert_eq!((reset.code(), reset.details().reason, reset.may_have_run()), (ErrorCode::GatewayTimeout, Some("connection_broke"), true));
        let refused = transport_error(TransportFailure::Connect("connection refused".into()), &Redactor::default());
        assert_eq!((refused.code(), refused.may_have_run()), (ErrorCode::Network, false), "nothing was sent");
    }

    #[test]
    fn provider_messages_are_cut_to_200_characters() {
        let long = "x ".repeat(400);
        let error = http_error(&answer(400, &[], &format!(r#"{{"error":{{"message":"{long}"}}}}"#)), &Redactor::default());
        assert!(error.details().message.chars().count() < 300);
    }

    #[test]
    fn the_stored_key_echoed_by_the_provider_never_shows_in_display_or_debug() {
        let key = "stored-key-without-a-known-shape-0001";
        let redactor = Redactor::new([key.to_string()]);
        let body = format!(r#"{{"error":{{"message":"provider said: {key} is wrong"}}}}"#);
        let refused = http_error(&answer(401, &[("x-request-id", key)], &body), &redactor);
        let broke = transport_error(TransportFailure::Io(format!("reset while sending {key}")), &redactor);
        for error in [refused, broke] {
            let shown = format!("{error} {error:?} {:?}", error.details());
            assert!(!shown.contains(key), "{shown}");
            assert!(shown.contains(error.code().as_str()), "{shown}");
        }
    }
}
