//! The crate's one error type: every failure of a custom-endpoint call becomes an [`Error`], a
//! wire [`ErrorCode`] with [`Details`], which the commands return to the frontend as `{ code,
//! message, sent, may_have_run, status?, retry_after_ms?, provider_request_id?, reason?,
//! provider_message? }`. `message` is our own English for logs; the panel words a failure from
//! `code` and `reason` in its language and quotes only `provider_message`, the provider's own text.
//!
//! [`http`] maps what the endpoint answered (a status, a transport failure) to an [`Error`].

pub mod http;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::http::endpoint::BaseUrlProblem;
use crate::safety::panic_guard::Panicked;
use crate::safety::redact::{redact, Redactor};
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
    /// A finer cause than the code, one of `REASONS` (e.g. `stream_cut`), so the panel can word it.
    pub reason: Option<&'static str>,
    /// The provider's own words (its error message, a model's refusal), redacted and cut; never ours.
    pub provider_message: Option<String>,
    /// The request option a dialect cannot send (`unsupported_option`), by its OpenAI name.
    pub option: Option<&'static str>,
}

/// Finer causes the panel words itself: a connection that could not be opened, one that broke
/// after the request went out, a stream that ended before its final event, an HTML page or
/// another answer that is not JSON, an answer without images, an image URL that is not https, a
/// redirect, an API key of the wrong shape, and an extra header that would carry a credential.
pub const REASONS: [&str; 10] = [
    "connect_failed",
    "connection_broke",
    "stream_cut",
    "html_page",
    "not_json",
    "no_image",
    "insecure_url",
    "redirect",
    "api_key_format",
    "credential_header",
];

/// The wire `code` of a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// Our arguments were refused (by us or by the endpoint, HTTP 400/422).
    InvalidRequest,
    /// Missing or wrong API key (HTTP 401).
    Unauthorized,
    /// The key may not do this (HTTP 403).
    Forbidden,
    /// Unknown path or model (HTTP 404).
    NotFound,
    /// HTTP 429, with `retry_after_ms` when the endpoint said.
    RateLimited,
    /// HTTP 413, or an answer above the size cap.
    PayloadTooLarge,
    /// HTTP 5xx.
    ServerError,
    /// No complete answer within the request's time limit.
    Timeout,
    /// `cancel_request` ended it.
    Cancelled,
    /// Connection refused, reset, DNS, TLS, broken body.
    Network,
    /// The answer was not the JSON we expect (HTML page, truncated JSON, no images, insecure
    /// image URL, redirect).
    InvalidResponse,
    /// Unusable endpoint settings (base URL, scheme, user info, plain http, an extra header
    /// carrying a credential).
    InvalidConfig,
    /// The endpoint's dialect cannot send one of the request's options (named in `option`);
    /// nothing was sent.
    UnsupportedOption,
    /// The profile's key was saved for another origin; nothing was sent.
    KeyOriginMismatch,
    /// A proxy in front of the endpoint gave up (HTTP 502, 504, Cloudflare's 524) or dropped the
    /// connection after the request was sent: the provider may still have run (and billed) it.
    GatewayTimeout,
    /// A bug in the plugin (a caught panic). Whether the endpoint got the request is unknown, so
    /// it is never reported as "not sent" or "not billed".
    Internal,
}

impl ErrorCode {
    /// The wire name, e.g. `rate_limited`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::PayloadTooLarge => "payload_too_large",
            Self::ServerError => "server_error",
            Self::Timeout => "timeout",
            Self::Cancelled => "cancelled",
            Self::Network => "network",
            Self::InvalidResponse => "invalid_response",
            Self::InvalidConfig => "invalid_config",
            Self::UnsupportedOption => "unsupported_option",
            Self::KeyOriginMismatch => "key_origin_mismatch",
            Self::GatewayTimeout => "gateway_timeout",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed custom-endpoint call: what kind ([`ErrorCode`]) and what is known ([`Details`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    details: Details,
}

/// The wire object, every string already redacted.
#[derive(Serialize)]
struct Wire<'a> {
    code: ErrorCode,
    message: String,
    sent: bool,
    may_have_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    option: Option<&'a str>,
}

impl Error {
    /// An error of `code` with a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, details: Details { message: message.into(), ..Details::default() } }
    }

    /// `invalid_request` with a message.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }
    /// `invalid_response` with a message.
    pub fn invalid_response(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidResponse, message)
    }
    /// `unsupported_option`: the dialect `dialect` cannot send `option` (an OpenAI field name).
    pub fn unsupported_option(dialect: &str, option: &'static str) -> Self {
        let mut error = Self::new(
            ErrorCode::UnsupportedOption,
            format!("This endpoint's API ({dialect}) does not take the option {option}; leave it out."),
        );
        error.details.option = Some(option);
        error
    }
    /// `network` with a message.
    pub fn network(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Network, message)
    }
    /// `timeout` with a message.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Timeout, message)
    }
    /// `cancelled`.
    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "The request was cancelled.")
    }
    /// `cancelled`: the plugin is being unloaded.
    pub fn cancelled_by_shutdown() -> Self {
        Self::new(ErrorCode::Cancelled, "The request was stopped because the plugin is shutting down.")
    }
    /// `internal`: a panic caught at `location` (`file:line:column`, no data).
    pub fn internal(location: &str) -> Self {
        Self::new(
            ErrorCode::Internal,
            format!("The plugin hit an internal error (at {location}); the request may have reached the endpoint."),
        )
    }

    /// The wire code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// What is known about the failure.
    pub fn details(&self) -> &Details {
        &self.details
    }

    /// Adds the HTTP status.
    pub fn with_status(mut self, status: u16) -> Self {
        self.details.status = Some(status);
        self
    }

    /// Adds the provider's request id (if any).
    pub fn with_provider_request_id(mut self, id: Option<String>) -> Self {
        if id.is_some() {
            self.details.provider_request_id = id;
        }
        self
    }

    /// Adds Retry-After in milliseconds (if any).
    pub fn with_retry_after_ms(mut self, ms: Option<u64>) -> Self {
        self.details.retry_after_ms = ms;
        self
    }

    /// Adds the finer cause (one of `REASONS`).
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        debug_assert!(REASONS.contains(&reason), "{reason}");
        self.details.reason = Some(reason);
        self
    }

    /// Adds the provider's own words (already redacted and cut by the caller).
    pub fn with_provider_message(mut self, text: String) -> Self {
        self.details.provider_message = Some(text);
        self
    }

    /// Records whether the request's bytes were dispatched.
    pub fn with_sent(mut self, sent: bool) -> Self {
        self.details.sent = Some(sent);
        self
    }

    /// Records that the provider may have run the request whatever its status says (e.g. an
    /// answer that arrived but was too large to read).
    pub fn with_may_have_run(mut self, may_have_run: bool) -> Self {
        self.details.may_have_run = Some(may_have_run);
        self
    }

    /// Whether the request left the plugin. Our own refusals (bad arguments or settings, no HTTP
    /// status) never did; anything else did unless the transport said otherwise.
    pub fn sent(&self) -> bool {
        let d = &self.details;
        d.sent.unwrap_or(match self.code {
            ErrorCode::InvalidConfig | ErrorCode::UnsupportedOption | ErrorCode::KeyOriginMismatch => false,
            ErrorCode::InvalidRequest => d.status.is_some(),
            _ => true,
        })
    }

    /// Whether the provider may have run the request: never when it was not sent; not when the
    /// provider answered with a refusal (400/401/403/404/413/422, 429, 503); always when a proxy
    /// gave up on it; otherwise yes.
    pub fn may_have_run(&self) -> bool {
        if !self.sent() {
            return false;
        }
        if self.code == ErrorCode::GatewayTimeout {
            return true;
        }
        let d = &self.details;
        if let Some(known) = d.may_have_run {
            return known;
        }
        match self.code {
            ErrorCode::Unauthorized | ErrorCode::Forbidden | ErrorCode::NotFound | ErrorCode::RateLimited | ErrorCode::PayloadTooLarge => false,
            ErrorCode::InvalidRequest => d.status.is_none(),
            ErrorCode::ServerError => d.status != Some(503),
            _ => true,
        }
    }

    /// The wire object `{ code, message, sent, may_have_run, status?, retry_after_ms?,
    /// provider_request_id?, reason?, provider_message? }`, every string redacted with this
    /// call's secrets.
    pub fn to_json(&self, redactor: &Redactor) -> Value {
        let d = &self.details;
        let wire = Wire {
            code: self.code,
            message: redactor.scrub(&d.message),
            sent: self.sent(),
            may_have_run: self.may_have_run(),
            status: d.status,
            retry_after_ms: d.retry_after_ms,
            provider_request_id: d.provider_request_id.as_deref().map(|id| redactor.scrub(id)),
            reason: d.reason,
            provider_message: d.provider_message.as_deref().map(|text| redactor.scrub(text)),
            option: d.option,
        };
        serde_json::to_value(wire).unwrap_or(Value::Null)
    }
}

impl From<BaseUrlProblem> for Error {
    /// `invalid_config`: the message names the problem, never the URL (it may carry secrets).
    fn from(problem: BaseUrlProblem) -> Self {
        Self::new(ErrorCode::InvalidConfig, problem.message())
    }
}

impl From<Panicked> for Error {
    /// `internal`, with the panic's location.
    fn from(panicked: Panicked) -> Self {
        Self::internal(&panicked.location)
    }
}

impl fmt::Display for Error {
    /// `code: message`, with secrets recognisable by their context removed. Text from outside
    /// (the provider's words, transport details, request ids) is scrubbed with the call's
    /// [`Redactor`], which knows the stored key, before it enters an error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), redact(&self.details.message, &[]))
    }
}

impl std::error::Error for Error {}

impl fmt::Debug for Details {
    /// The message redacted like `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Details")
            .field("message", &redact(&self.message, &[]))
            .field("status", &self.status)
            .field("retry_after_ms", &self.retry_after_ms)
            .field("provider_request_id", &self.provider_request_id.as_deref().map(|id| redact(id, &[])))
            .field("reason", &self.reason)
            .field("provider_message", &self.provider_message.as_deref().map(|text| redact(text, &[])))
            .field("option", &self.option)
            .finish()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(self.code.as_str()).field(&self.details).finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn serializes_only_the_fields_that_are_known() {
        let error = Error::new(ErrorCode::RateLimited, "slow down")
            .with_status(429)
            .with_retry_after_ms(Some(2000))
            .with_provider_request_id(Some("req_1".into()));
        assert_eq!(
            error.to_json(&Redactor::default()),
            json!({ "code": "rate_limited", "message": "slow down", "sent": true, "may_have_run": false, "status": 429, "retry_after_ms": 2000, "provider_request_id": "req_1" })
        );
        assert_eq!(
            Error::cancelled().to_json(&Redactor::default()),
            json!({ "code": "cancelled", "message": "The request was cancelled.", "sent": true, "may_have_run": true })
        );
    }

    #[test]
    fn keeps_the_providers_words_apart_from_ours_and_redacts_them() {
        let error = Error::new(ErrorCode::Unauthorized, "The endpoint did not accept the API key (HTTP 401).")
            .with_status(401)
            .with_provider_message("Incorrect key plainsecret".into());
        let wire = error.to_json(&Redactor::new(["plainsecret".to_string()]));
        assert_eq!(wire["provider_message"], json!("Incorrect key [REDACTED]"));
        assert!(wire.get("reason").is_none());
        let cut = Error::network("The stream ended early.").with_reason("stream_cut");
        assert_eq!(cut.to_json(&Redactor::default())["reason"], json!("stream_cut"));
        assert!(cut.to_json(&Redactor::default()).get("provider_message").is_none());
    }

    #[test]
    fn sent_and_may_have_run_follow_what_the_call_site_knows() {
        let facts = |e: &Error| (e.sent(), e.may_have_run());
        assert_eq!(facts(&Error::from(BaseUrlProblem::Empty)), (false, false));
        assert_eq!(facts(&Error::invalid_request("bad size")), (false, false));
        assert_eq!(facts(&Error::invalid_request("refused").with_status(400)), (true, false));
        assert_eq!(facts(&Error::network("refused").with_sent(false)), (false, false));
        assert_eq!(facts(&Error::network("reset mid-answer")), (true, true));
        assert_eq!(facts(&Error::new(ErrorCode::ServerError, "").with_status(503)), (true, false));
        assert_eq!(facts(&Error::new(ErrorCode::ServerError, "").with_status(500)), (true, true));
        assert_eq!(facts(&Error::new(ErrorCode::PayloadTooLarge, "answer too large").with_status(200).with_may_have_run(true)), (true, true));
        assert_eq!(facts(&Error::timeout("no answer")), (true, true));
        assert_eq!(facts(&Error::unsupported_option("chat", "quality")), (false, false));
        assert_eq!(facts(&Error::new(ErrorCode::KeyOriginMismatch, "")), (false, false));
        assert_eq!(facts(&Error::new(ErrorCode::GatewayTimeout, "").with_status(524).with_may_have_run(false)), (true, true), "a proxy cannot prove the provider did not run it");
    }

    #[test]
    fn display_and_json_never_show_the_key() {
        let error = Error::invalid_request("Incorrect API key provided: sk-abcdefgh12345678 and Bearer xyz");
        assert!(!error.to_string().contains("abcdefgh12345678"));
        assert!(!error.to_string().contains("xyz"));
        let custom = Error::invalid_request("key was plainsecret");
        assert!(!custom.to_json(&Redactor::new(["plainsecret".to_string()])).to_string().contains("plainsecret"));
        assert!(!format!("{error:?}").contains("abcdefgh12345678"), "{error:?}");
    }

    #[test]
    fn every_code_has_one_wire_name_and_serializes_as_it() {
        let codes = [
            ErrorCode::InvalidRequest, ErrorCode::Unauthorized, ErrorCode::Forbidden, ErrorCode::NotFound, ErrorCode::RateLimited,
            ErrorCode::PayloadTooLarge, ErrorCode::ServerError, ErrorCode::Timeout, ErrorCode::Cancelled, ErrorCode::Network,
            ErrorCode::InvalidResponse, ErrorCode::InvalidConfig, ErrorCode::UnsupportedOption, ErrorCode::KeyOriginMismatch, ErrorCode::GatewayTimeout,
            ErrorCode::Internal,
        ];
        for code in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
            assert_eq!(Error::new(code, "m").to_json(&Redactor::default())["code"], json!(code.as_str()));
        }
    }
}
