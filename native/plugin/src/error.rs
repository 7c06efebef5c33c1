//! The crate's one error type: every failure of a custom-endpoint call becomes a [`GatewayError`],
//! which the commands return to the frontend as `{ code, message, sent, may_have_run, status?,
//! retry_after_ms?, provider_request_id?, reason?, provider_message? }`. `message` is our own
//! English for logs; the panel words a failure from `code` and `reason` in its language and quotes
//! only `provider_message`, the provider's own text.

use std::fmt;

use serde_json::{json, Map, Value};

use crate::redact::{redact, Redactor};

/// Optional facts about a failure, shared by every variant.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Details {
    /// Short human message (redacted again whenever it leaves the crate).
    pub message: String,
    /// The HTTP status, when the endpoint answered.
    pub status: Option<u16>,
    /// How long the endpoint asked us to wait (Retry-After), in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// The provider's request id (`x-request-id`, `request-id`, `openai-request-id`, `cf-ray`).
    pub provider_request_id: Option<String>,
    /// Whether the request's bytes were dispatched, where the transport knows; unknown counts as sent.
    pub sent: Option<bool>,
    /// Whether the provider may have run (and billed) the request, where the call site knows
    /// better than the code and status do.
    pub may_have_run: Option<bool>,
    /// A finer cause than the code, one of [`REASONS`], so the panel can word it.
    pub reason: Option<&'static str>,
    /// The provider's own words (its error message, a model's refusal), redacted and cut; never ours.
    pub provider_message: Option<String>,
}

/// Finer causes the panel words itself: a connection that could not be opened, one that broke
/// after the request went out, a stream that ended before its final event, an HTML page or
/// another answer that is not JSON, an answer without images, an image URL that is not https, a
/// redirect, and an API key of the wrong shape.
pub const REASONS: [&str; 9] = [
    "connect_failed",
    "connection_broke",
    "stream_cut",
    "html_page",
    "not_json",
    "no_image",
    "insecure_url",
    "redirect",
    "api_key_format",
];

/// A failed custom-endpoint call. The variant is the wire `code`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayError {
    /// `invalid_request`: our arguments were refused (by us or by the endpoint, HTTP 400/422).
    InvalidRequest(Details),
    /// `unauthorized`: missing or wrong API key (HTTP 401).
    Unauthorized(Details),
    /// `forbidden`: the key may not do this (HTTP 403).
    Forbidden(Details),
    /// `not_found`: unknown path or model (HTTP 404).
    NotFound(Details),
    /// `rate_limited`: HTTP 429, with `retry_after_ms` when the endpoint said.
    RateLimited(Details),
    /// `payload_too_large`: HTTP 413, or an answer above the size cap.
    PayloadTooLarge(Details),
    /// `server_error`: HTTP 5xx.
    ServerError(Details),
    /// `timeout`: no complete answer within the request's time limit.
    Timeout(Details),
    /// `cancelled`: `cancel_request` ended it.
    Cancelled(Details),
    /// `network`: connection refused, reset, DNS, TLS, broken body.
    Network(Details),
    /// `invalid_response`: the answer was not the JSON we expect (HTML page, truncated JSON,
    /// no images, insecure image URL, redirect).
    InvalidResponse(Details),
    /// `invalid_config`: unusable endpoint settings (base URL, scheme, user info, plain http).
    InvalidConfig(Details),
    /// `internal`: a bug in the plugin (a caught panic). Whether the endpoint got the request is
    /// unknown, so it is never reported as "not sent" or "not billed".
    Internal(Details),
}

impl GatewayError {
    /// Builds the variant for `code` (one of the wire codes) with a message.
    fn with(make: fn(Details) -> GatewayError, message: impl Into<String>) -> GatewayError {
        make(Details { message: message.into(), ..Details::default() })
    }

    /// `invalid_request` with a message.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::with(Self::InvalidRequest, message)
    }
    /// `invalid_config` with a message.
    pub fn invalid_config(message: impl Into<String>) -> Self {
        Self::with(Self::InvalidConfig, message)
    }
    /// `invalid_response` with a message.
    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::with(Self::InvalidResponse, message)
    }
    /// `network` with a message.
    pub fn network(message: impl Into<String>) -> Self {
        Self::with(Self::Network, message)
    }
    /// `timeout` with a message.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::with(Self::Timeout, message)
    }
    /// `cancelled`.
    pub fn cancelled() -> Self {
        Self::with(Self::Cancelled, "The request was cancelled.")
    }
    /// `cancelled`: the plugin is being unloaded.
    pub fn cancelled_by_shutdown() -> Self {
        Self::with(Self::Cancelled, "The request was stopped because the plugin is shutting down.")
    }
    /// `internal`: a panic caught at `location` (`file:line:column`, no data).
    pub fn internal(location: &str) -> Self {
        Self::with(
            Self::Internal,
            format!("The plugin hit an internal error (at {location}); the request may have reached the endpoint."),
        )
    }
    /// `payload_too_large` with a message.
    pub fn payload_too_large(message: impl Into<String>) -> Self {
        Self::with(Self::PayloadTooLarge, message)
    }

    /// The wire code, e.g. `rate_limited`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::RateLimited(_) => "rate_limited",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::ServerError(_) => "server_error",
            Self::Timeout(_) => "timeout",
            Self::Cancelled(_) => "cancelled",
            Self::Network(_) => "network",
            Self::InvalidResponse(_) => "invalid_response",
            Self::InvalidConfig(_) => "invalid_config",
            Self::Internal(_) => "internal",
        }
    }

    /// The facts shared by every variant.
    pub fn details(&self) -> &Details {
        match self {
            Self::InvalidRequest(d)
            | Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::RateLimited(d)
            | Self::PayloadTooLarge(d)
            | Self::ServerError(d)
            | Self::Timeout(d)
            | Self::Cancelled(d)
            | Self::Network(d)
            | Self::InvalidResponse(d)
            | Self::InvalidConfig(d)
            | Self::Internal(d) => d,
        }
    }

    fn details_mut(&mut self) -> &mut Details {
        match self {
            Self::InvalidRequest(d)
            | Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::RateLimited(d)
            | Self::PayloadTooLarge(d)
            | Self::ServerError(d)
            | Self::Timeout(d)
            | Self::Cancelled(d)
            | Self::Network(d)
            | Self::InvalidResponse(d)
            | Self::InvalidConfig(d)
            | Self::Internal(d) => d,
        }
    }

    /// Adds the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.details_mut().status = Some(status);
        self
    }

    /// Adds the provider's request id (if any).
    pub fn with_provider_request_id(mut self, id: Option<String>) -> Self {
        if id.is_some() {
            self.details_mut().provider_request_id = id;
        }
        self
    }

    /// Adds Retry-After in milliseconds (if any).
    pub fn with_retry_after_ms(mut self, ms: Option<u64>) -> Self {
        self.details_mut().retry_after_ms = ms;
        self
    }

    /// Adds the finer cause (one of [`REASONS`]).
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        debug_assert!(REASONS.contains(&reason), "{reason}");
        self.details_mut().reason = Some(reason);
        self
    }

    /// Adds the provider's own words (already redacted and cut by the caller).
    pub fn with_provider_message(mut self, text: String) -> Self {
        self.details_mut().provider_message = Some(text);
        self
    }

    /// Records whether the request's bytes were dispatched.
    pub fn with_sent(mut self, sent: bool) -> Self {
        self.details_mut().sent = Some(sent);
        self
    }

    /// Records that the provider may have run the request whatever its status says (e.g. an
    /// answer that arrived but was too large to read).
    pub fn with_may_have_run(mut self, may_have_run: bool) -> Self {
        self.details_mut().may_have_run = Some(may_have_run);
        self
    }

    /// Whether the request left the plugin. Our own refusals (bad arguments or settings, no HTTP
    /// status) never did; anything else did unless the transport said otherwise.
    pub fn sent(&self) -> bool {
        let d = self.details();
        d.sent.unwrap_or(match self {
            Self::InvalidConfig(_) => false,
            Self::InvalidRequest(_) => d.status.is_some(),
            _ => true,
        })
    }

    /// Whether the provider may have run the request: never when it was not sent; not when the
    /// provider answered with a refusal (400/401/403/404/413/422, 429, 503); otherwise yes.
    pub fn may_have_run(&self) -> bool {
        if !self.sent() {
            return false;
        }
        if let Some(known) = self.details().may_have_run {
            return known;
        }
        match self {
            Self::Unauthorized(_) | Self::Forbidden(_) | Self::NotFound(_) | Self::RateLimited(_) | Self::PayloadTooLarge(_) => false,
            Self::InvalidRequest(d) => d.status.is_none(),
            Self::ServerError(d) => d.status != Some(503),
            _ => true,
        }
    }

    /// The wire object `{ code, message, sent, may_have_run, status?, retry_after_ms?,
    /// provider_request_id? }`, every string redacted with this call's secrets.
    pub fn to_json(&self, redactor: &Redactor) -> Value {
        let d = self.details();
        let mut object = Map::new();
        object.insert("code".into(), json!(self.code()));
        object.insert("message".into(), json!(redactor.scrub(&d.message)));
        object.insert("sent".into(), json!(self.sent()));
        object.insert("may_have_run".into(), json!(self.may_have_run()));
        if let Some(status) = d.status {
            object.insert("status".into(), json!(status));
        }
        if let Some(ms) = d.retry_after_ms {
            object.insert("retry_after_ms".into(), json!(ms));
        }
        if let Some(id) = &d.provider_request_id {
            object.insert("provider_request_id".into(), json!(redactor.scrub(id)));
        }
        if let Some(reason) = d.reason {
            object.insert("reason".into(), json!(reason));
        }
        if let Some(text) = &d.provider_message {
            object.insert("provider_message".into(), json!(redactor.scrub(text)));
        }
        Value::Object(object)
    }
}

impl fmt::Display for GatewayError {
    /// `code: message` with context-recognisable secrets and the stored key removed (the key's
    /// custody makes it a secret every redaction knows).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), redact(&self.details().message, &[]))
    }
}

impl std::error::Error for GatewayError {}

impl fmt::Debug for Details {
    /// The message redacted like `Display`: patterns and the stored key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Details")
            .field("message", &redact(&self.message, &[]))
            .field("status", &self.status)
            .field("retry_after_ms", &self.retry_after_ms)
            .field("provider_request_id", &self.provider_request_id.as_deref().map(|id| redact(id, &[])))
            .field("reason", &self.reason)
            .field("provider_message", &self.provider_message.as_deref().map(|text| redact(text, &[])))
            .finish()
    }
}

impl fmt::Debug for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(self.code()).field(self.details()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_only_the_fields_that_are_known() {
        let error = GatewayError::RateLimited(Details { message: "slow down".into(), ..Details::default() })
            .with_status(429)
            .with_retry_after_ms(Some(2000))
            .with_provider_request_id(Some("req_1".into()));
        assert_eq!(
            error.to_json(&Redactor::default()),
            json!({ "code": "rate_limited", "message": "slow down", "sent": true, "may_have_run": false, "status": 429, "retry_after_ms": 2000, "provider_request_id": "req_1" })
        );
        assert_eq!(
            GatewayError::cancelled().to_json(&Redactor::default()),
            json!({ "code": "cancelled", "message": "The request was cancelled.", "sent": true, "may_have_run": true })
        );
    }

    #[test]
    fn keeps_the_providers_words_apart_from_ours_and_redacts_them() {
        let error = GatewayError::Unauthorized(Details { message: "The endpoint did not accept the API key (HTTP 401).".into(), ..Details::default() })
            .with_status(401)
            .with_provider_message("Incorrect key plainsecret".into());
        let wire = error.to_json(&Redactor::new(["plainsecret".to_string()]));
        assert_eq!(wire["provider_message"], json!("Incorrect key [REDACTED]"));
        assert!(wire.get("reason").is_none());
        let cut = GatewayError::network("The stream ended early.").with_reason("stream_cut");
        assert_eq!(cut.to_json(&Redactor::default())["reason"], json!("stream_cut"));
        assert!(cut.to_json(&Redactor::default()).get("provider_message").is_none());
    }

    #[test]
    fn sent_and_may_have_run_follow_what_the_call_site_knows() {
        let facts = |e: &GatewayError| (e.sent(), e.may_have_run());
        assert_eq!(facts(&GatewayError::invalid_config("no base URL")), (false, false));
        assert_eq!(facts(&GatewayError::invalid_request("bad size")), (false, false));
        assert_eq!(facts(&GatewayError::invalid_request("refused").with_status(400)), (true, false));
        assert_eq!(facts(&GatewayError::network("refused").with_sent(false)), (false, false));
        assert_eq!(facts(&GatewayError::network("reset mid-answer")), (true, true));
        assert_eq!(facts(&GatewayError::ServerError(Details::default()).with_status(503)), (true, false));
        assert_eq!(facts(&GatewayError::ServerError(Details::default()).with_status(500)), (true, true));
        assert_eq!(facts(&GatewayError::payload_too_large("answer too large").with_status(200).with_may_have_run(true)), (true, true));
        assert_eq!(facts(&GatewayError::timeout("no answer")), (true, true));
    }

    #[test]
    fn display_and_json_never_show_the_key() {
        let error = GatewayError::invalid_request("Incorrect API key provided: sk-abcdefgh12345678 and Bearer xyz");
        assert!(!error.to_string().contains("abcdefgh12345678"));
        assert!(!error.to_string().contains("xyz"));
        let custom = GatewayError::invalid_request("key was plainsecret");
        assert!(!custom.to_json(&Redactor::new(["plainsecret".to_string()])).to_string().contains("plainsecret"));
        assert!(!format!("{error:?}").contains("abcdefgh12345678"), "{error:?}");
    }

    #[test]
    fn display_and_debug_remove_the_stored_key_without_a_redactor() {
        let _known_secret = crate::redact::KNOWN_SECRET_TESTS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = "stored-key-without-a-known-shape-0001";
        crate::redact::set_known_secret(Some(key));
        let error = GatewayError::invalid_request(format!("provider said: {key} is wrong")).with_provider_request_id(Some(key.into()));
        let shown = format!("{error} {error:?} {:?}", error.details());
        crate::redact::set_known_secret(None);
        assert!(!shown.contains(key), "{shown}");
        assert!(shown.contains("invalid_request"), "{shown}");
    }
}
