//! The API families an endpoint may speak, one module each behind one trait: [`images`]
//! (OpenAI's Images API), [`responses`] (OpenAI's Responses API with the image tool), [`azure`]
//! (Azure OpenAI's classic deployment paths), [`chat`] (chat completions with image output) and
//! [`siliconflow`]. Each builds the URL, headers and body of a call from the request's OpenAI
//! field names and says how its answer is read; an option its provider does not take is refused
//! with `unsupported_option`, never dropped. Time limit, cancel, size cap and redaction are the
//! call path's and the same for every dialect. [`target`] checks the endpoint profile a call names.

pub mod azure;
pub mod chat;
pub mod images;
pub mod responses;
pub mod siliconflow;
pub mod target;

use serde::Deserialize;

use crate::error::Error;
use crate::http::transport::{InboundResponse, OutboundRequest};
use crate::safety::redact::Redactor;
use crate::wire::answers::ImagesOut;
use crate::wire::events::StreamApi;
use crate::wire::requests::{EditRequest, GenerateRequest, ResponsesRequest, Upload};

pub use target::Target;

/// The API family an endpoint speaks (`dialect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DialectName {
    /// OpenAI's Images API (`images/generations`, `images/edits`).
    Images,
    /// OpenAI's Responses API with the `image_generation` tool (edits through `images/edits`).
    Responses,
    /// Azure OpenAI's classic deployment paths with `api-version`.
    Azure,
    /// `chat/completions` with image output (OpenRouter and similar).
    Chat,
    /// SiliconFlow's image API (`image_size`, `batch_size`, `{ images: [{ url }] }`).
    Siliconflow,
}

impl DialectName {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DialectName::Images => "images",
            DialectName::Responses => "responses",
            DialectName::Azure => "azure",
            DialectName::Chat => "chat",
            DialectName::Siliconflow => "siliconflow",
        }
    }
}

/// Which header carries the key (`auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthStyle {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `api-key: <key>` (Azure).
    ApiKey,
    /// `x-goog-api-key: <key>` (Google).
    XGoogApiKey,
    /// No key is sent.
    None,
}

/// How `edit_images` uploads its images (`editUpload`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditUpload {
    /// `multipart/form-data` with `image[]` file parts (OpenAI's usual form).
    #[default]
    Multipart,
    /// JSON with `images: [{ image_url: "data:…" }]` (OpenAI's spec; survives relays that
    /// mangle multipart).
    Json,
}

/// Reads a complete (plain) answer into images.
pub type PlainReader = fn(InboundResponse, &Redactor) -> Result<ImagesOut, Error>;

/// A call ready to send: the request and how its answer is read, plain or streamed.
pub struct Prepared {
    /// What goes out.
    pub request: OutboundRequest,
    /// How a plain answer is read.
    pub read_plain: PlainReader,
    /// Which events a streamed answer carries.
    pub stream_api: StreamApi,
}

/// One API family. `stream` is `Some(partial images per image)` when the call streams.
pub trait Dialect: Sync {
    /// The wire name, for messages.
    fn name(&self) -> &'static str;

    /// `generate_images`.
    fn generate(&self, target: &Target, request: &GenerateRequest, stream: Option<u32>) -> Result<Prepared, Error>;

    /// `edit_images`, with the decoded uploads.
    fn edit(&self, target: &Target, request: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Result<Prepared, Error>;

    /// `generate_via_responses`; only the Responses dialects have it.
    fn responses(&self, _target: &Target, _request: &ResponsesRequest, _images: &[Upload], _mask: Option<&Upload>, _stream: Option<u32>) -> Result<Prepared, Error> {
        Err(Error::invalid_request(format!(
            "This endpoint's API ({}) has no Responses API; call generate_images or edit_images.",
            self.name()
        )))
    }

    /// `GET …/models`, where the family has a model list.
    fn models(&self, target: &Target) -> Option<OutboundRequest> {
        Some(target.get(target.url_for("models")))
    }
}

/// The dialect of a name.
pub fn of(name: DialectName) -> &'static dyn Dialect {
    match name {
        DialectName::Images => &images::Images,
        DialectName::Responses => &responses::Responses,
        DialectName::Azure => &azure::Azure,
        DialectName::Chat => &chat::Chat,
        DialectName::Siliconflow => &siliconflow::SiliconFlow,
    }
}

/// Refuses the first option that is set among `options` (OpenAI names), for `dialect`.
pub(crate) fn refuse_set(dialect: &str, options: &[(&'static str, bool)]) -> Result<(), Error> {
    match options.iter().find(|(_, set)| *set) {
        Some((name, _)) => Err(Error::unsupported_option(dialect, name)),
        None => Ok(()),
    }
}
