//! The command envelopes as the frontend sends them (camelCase keys: `requestId`, `baseUrl`,
//! `timeoutMs`), and their limits. The inner `request` is a [`crate::wire::requests`] type with
//! OpenAI's field names. Unknown keys are refused, which catches typos such as `outputFormat`.

use serde::Deserialize;

use crate::error::Error;

/// `endpoint` of every call (defined beside the dialects that read it).
pub use crate::dialects::target::EndpointArgs;

/// Default per-request time limit.
pub const DEFAULT_TIMEOUT_MS: u64 = 300_000;
/// Default time limit of `test_connection`.
pub const DEFAULT_TEST_TIMEOUT_MS: u64 = 10_000;
/// Default cap on the size of an answer.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Envelope of `generate_images`, `edit_images`, `generate_via_responses`. (No `Debug` here or
/// on the requests: they hold the prompt and image bytes, which never reach a log.)
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallArgs<R> {
    /// The frontend's request id (shown in its UI, logged, used by `cancel_request`).
    pub request_id: String,
    /// Where to send it.
    pub endpoint: EndpointArgs,
    /// What to send.
    pub request: R,
    /// Time limit in ms (default 300000, at most 3600000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Cap on the answer's size in bytes (default 64 MiB).
    #[serde(default)]
    pub max_response_bytes: Option<u64>,
    /// Ask for server-sent events with partial images (off by default: each partial is billed).
    #[serde(default)]
    pub stream: bool,
    /// Partial images per image while streaming, 1–3 (default 1); only with `stream: true`.
    #[serde(default)]
    pub partial_images: Option<u32>,
}

/// Most partial images per image (OpenAI allows 0–3; 0 would stream nothing worth a stream).
pub const MAX_PARTIAL_IMAGES: u32 = 3;

/// `Some(partial images)` when the call streams, validated.
pub fn stream_partials(stream: bool, partial_images: Option<u32>) -> Result<Option<u32>, Error> {
    match (stream, partial_images) {
        (false, None) => Ok(None),
        (false, Some(_)) => Err(Error::invalid_request("partialImages is only meaningful with stream: true.")),
        (true, None) => Ok(Some(1)),
        (true, Some(n @ 1..=MAX_PARTIAL_IMAGES)) => Ok(Some(n)),
        (true, Some(_)) => Err(Error::invalid_request("partialImages must be 1, 2 or 3.")),
    }
}

/// `test_connection` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestConnectionArgs {
    /// The frontend's request id.
    pub request_id: String,
    /// Where to look.
    pub endpoint: EndpointArgs,
    /// Time limit in ms (default 10000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// `list_models` arguments: the same as `test_connection`'s.
pub type ListModelsArgs = TestConnectionArgs;

/// `cancel_request` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelArgs {
    /// The id given to the call to cancel.
    pub request_id: String,
}

/// `request_progress` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgressArgs {
    /// The streaming request.
    pub request_id: String,
    /// The newest partial's `seq` the caller already has (default 0: none).
    #[serde(default)]
    pub after: Option<u64>,
}

/// `set_api_key` arguments.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetApiKeyArgs {
    /// The profile the key belongs to.
    pub profile_id: String,
    /// The base URL the key is for: only its origin will receive it.
    pub base_url: String,
    /// The key; stored natively and never returned.
    pub api_key: String,
}

impl std::fmt::Debug for SetApiKeyArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SetApiKeyArgs {{ profile_id: {:?}, api_key: [REDACTED] }}", self.profile_id)
    }
}

/// `clear_api_key` and `api_key_status` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileArgs {
    /// The profile whose key is meant.
    pub profile_id: String,
}

/// `adopt_legacy_key` arguments.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdoptLegacyKeyArgs {
    /// The profile that takes the earlier versions' key.
    pub profile_id: String,
    /// The base URL that key was used with: its origin is the one the key is bound to.
    pub base_url: String,
}

/// The time limit to use: default when absent, 1 ms – 1 h.
pub fn timeout_ms(given: Option<u64>, default: u64) -> Result<u64, Error> {
    match given {
        None => Ok(default),
        Some(ms) if (1..=3_600_000).contains(&ms) => Ok(ms),
        Some(_) => Err(Error::invalid_request("timeoutMs must be between 1 and 3600000.")),
    }
}

/// The answer size cap: default when absent, 1 KiB – 1 GiB.
pub fn max_response_bytes(given: Option<u64>) -> Result<u64, Error> {
    match given {
        None => Ok(DEFAULT_MAX_RESPONSE_BYTES),
        Some(b) if (1024..=1 << 30).contains(&b) => Ok(b),
        Some(_) => Err(Error::invalid_request("maxResponseBytes must be between 1024 and 1073741824.")),
    }
}

