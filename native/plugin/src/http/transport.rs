//! One HTTP exchange with the endpoint, behind a small trait so tests can swap it.
//!
//! The transport sends a request and reads the whole body up to a size cap. Time limits and
//! cancellation are not its business: the caller races the returned future against a timer and
//! a cancellation token, and dropping the future closes the connection.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use url::Url;

use crate::safety::redact::{redact, MARK};

/// A boxed, sendable future (the trait must stay object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// HTTP method of an outbound call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// One field of a multipart form.
#[derive(Clone, PartialEq, Eq)]
pub enum FormPart {
    /// A text field.
    Text {
        /// Field name.
        name: String,
        /// Field value.
        value: String,
    },
    /// A file field; the content type is always set (Prism, and real APIs, want it).
    File {
        /// Field name (`image[]`, `image`, `mask`).
        name: String,
        /// File name sent in Content-Disposition.
        file_name: String,
        /// MIME type of the bytes.
        content_type: String,
        /// The file's bytes.
        bytes: Vec<u8>,
    },
}

/// Request body.
#[derive(Clone, PartialEq, Eq)]
pub enum Body {
    /// No body.
    Empty,
    /// `application/json` bytes.
    Json(Vec<u8>),
    /// `multipart/form-data` fields in order.
    Multipart(Vec<FormPart>),
}

/// The header that carries the API key, and its whole value (`Bearer <key>` or the bare key).
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// Lower-case header name: `authorization`, `api-key` or `x-goog-api-key`.
    pub header: &'static str,
    /// The header's value; sent marked sensitive, never shown by `Debug`.
    pub value: String,
}

/// What to send.
#[derive(Clone)]
pub struct OutboundRequest {
    /// Method.
    pub method: Method,
    /// Full URL of the operation.
    pub url: Url,
    /// The API key's header, sent to this URL's origin only (redirects are never followed).
    pub credential: Option<Credential>,
    /// Other headers (non-secret: a profile's extra headers, Azure's deployment header).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
}

impl OutboundRequest {
    /// A request without credential or extra headers (an image URL fetch, tests).
    pub fn plain(method: Method, url: Url, body: Body) -> Self {
        OutboundRequest { method, url, credential: None, headers: Vec::new(), body }
    }
}

/// What came back. Header names are lower case.
#[derive(Clone, Default)]
pub struct InboundResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers the caller may need (all of them, as text).
    pub headers: Vec<(String, String)>,
    /// The complete body.
    pub body: Vec<u8>,
}

// `Debug` never shows the key, header values, text field values or bytes: only their shape.
impl fmt::Debug for FormPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormPart::Text { name, value } => write!(f, "Text {{ name: {name:?}, value: [{} chars] }}", value.chars().count()),
            FormPart::File { name, content_type, bytes, .. } => {
                write!(f, "File {{ name: {name:?}, content_type: {content_type:?}, bytes: [{} bytes] }}", bytes.len())
            }
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Json(bytes) => write!(f, "Json([{} bytes])", bytes.len()),
            Body::Multipart(parts) => f.debug_tuple("Multipart").field(parts).finish(),
        }
    }
}

impl fmt::Debug for OutboundRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboundRequest")
            .field("method", &self.method)
            .field("url", &redact(self.url.as_str(), &[]))
            .field("credential", &self.credential.as_ref().map(|c| (c.header, MARK)))
            .field("headers", &self.headers.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())
            .field("body", &self.body)
            .finish()
    }
}

impl fmt::Debug for InboundResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        write!(f, "InboundResponse {{ status: {}, headers: {names:?}, body: [{} bytes] }}", self.status, self.body.len())
    }
}

impl InboundResponse {
    /// First header value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Why an exchange failed before a complete answer was read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportFailure {
    /// Could not connect (refused, DNS, TLS handshake).
    Connect(String),
    /// The connection broke while sending or reading.
    Io(String),
    /// The answer is larger than the cap; status and headers are kept (`Debug` shows header values:
    /// they are the provider's, never ours).
    TooLarge {
        /// HTTP status of the oversized answer.
        status: u16,
        /// Its headers (for the provider request id).
        headers: Vec<(String, String)>,
    },
    /// A connect timeout inside the client.
    Timeout(String),
}

/// The body of an answer, chunk by chunk as it arrives (`None` at its end).
pub trait ChunkSource: Send {
    /// The next chunk.
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>, TransportFailure>>;
}

/// An answer whose body has not been read yet; the reader enforces the size cap.
pub struct StreamingResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Box<dyn ChunkSource>,
}

/// A body that is already complete, handed out as one chunk.
struct WholeBody(Option<Vec<u8>>);

impl ChunkSource for WholeBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>, TransportFailure>> {
        let chunk = self.0.take();
        Box::pin(async move { Ok(chunk) })
    }
}

impl From<InboundResponse> for StreamingResponse {
    fn from(response: InboundResponse) -> Self {
        StreamingResponse { status: response.status, headers: response.headers, body: Box::new(WholeBody(Some(response.body))) }
    }
}

impl StreamingResponse {
    /// First header value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Reads the rest of the body (at most `max_body` bytes in all, `already` counted) into a
    /// complete answer.
    pub async fn collect(mut self, already: u64, max_body: u64) -> Result<InboundResponse, TransportFailure> {
        let mut body = Vec::new();
        while let Some(chunk) = self.body.next_chunk().await? {
            if already + body.len() as u64 + chunk.len() as u64 > max_body {
                return Err(TransportFailure::TooLarge { status: self.status, headers: self.headers });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(InboundResponse { status: self.status, headers: self.headers, body })
    }
}

/// Sends one request and reads the answer.
pub trait Transport: Send + Sync {
    /// Sends `request`, reading at most `max_body` bytes of the answer.
    fn send(&self, request: OutboundRequest, max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>>;

    /// Sends `request` and hands back the answer before its body is read, so server-sent events
    /// can be handled as they arrive. By default the whole answer is read first.
    fn send_streaming(&self, request: OutboundRequest, max_body: u64) -> BoxFuture<'_, Result<StreamingResponse, TransportFailure>> {
        Box::pin(async move { self.send(request, max_body).await.map(StreamingResponse::from) })
    }
}

/// The real transport: reqwest with rustls, no redirects, no cookies.
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
}

impl HttpTransport {
    /// Builds the client. Redirects are never followed, so the Authorization header can never
    /// reach another origin; a 3xx becomes `invalid_response`.
    pub fn new() -> Result<Self, String> {
        // The process-wide provider of this library's rustls (a `cdylib` has its own copy); an
        // earlier call already installed it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(20))
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("haloforge-managed-image-gateway/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("could not build the HTTP client: {e}"))?;
        Ok(Self { client })
    }

    async fn start(&self, request: OutboundRequest, max_body: u64) -> Result<StreamingResponse, TransportFailure> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = self.client.request(method, request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(credential) = &request.credential {
            let mut value = reqwest::header::HeaderValue::from_str(&credential.value)
                .map_err(|_| TransportFailure::Connect("the API key cannot be sent in a header".into()))?;
            value.set_sensitive(true);
            builder = builder.header(credential.header, value);
        }
        builder = match request.body {
            Body::Empty => builder,
            Body::Json(bytes) => builder.header(reqwest::header::CONTENT_TYPE, "application/json").body(bytes),
            Body::Multipart(parts) => builder.multipart(to_form(parts)?),
        };
        let response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str().to_string(), v.to_string())))
            .collect();
        if response.content_length().is_some_and(|len| len > max_body) {
            return Err(TransportFailure::TooLarge { status, headers });
        }
        Ok(StreamingResponse { status, headers, body: Box::new(ReqwestBody(response)) })
    }
}

struct ReqwestBody(reqwest::Response);

impl ChunkSource for ReqwestBody {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>, TransportFailure>> {
        Box::pin(async move { self.0.chunk().await.map(|chunk| chunk.map(|bytes| bytes.to_vec())).map_err(classify) })
    }
}

impl Transport for HttpTransport {
    fn send(&self, request: OutboundRequest, max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        // The body buffer grows with what arrives: a Content-Length is only a claim.
        Box::pin(async move { self.start(request, max_body).await?.collect(0, max_body).await })
    }

    fn send_streaming(&self, request: OutboundRequest, max_body: u64) -> BoxFuture<'_, Result<StreamingResponse, TransportFailure>> {
        Box::pin(self.start(request, max_body))
    }
}

fn to_form(parts: Vec<FormPart>) -> Result<reqwest::multipart::Form, TransportFailure> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        form = match part {
            FormPart::Text { name, value } => form.text(name, value),
            FormPart::File { name, file_name, content_type, bytes } => {
                let file = reqwest::multipart::Part::bytes(bytes)
                    .file_name(file_name)
                    .mime_str(&content_type)
                    .map_err(|_| TransportFailure::Io("invalid content type for an upload".into()))?;
                form.part(name, file)
            }
        };
    }
    Ok(form)
}

/// Describes a reqwest error by kind and by its causes, without the URL (it may carry a query
/// secret); the caller redacts the text again before it leaves the crate.
fn classify(error: reqwest::Error) -> TransportFailure {
    let is_connect = error.is_connect();
    let is_timeout = error.is_timeout();
    let error = error.without_url();
    let mut causes = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.contains(&text) {
            causes.push(text);
        }
        source = cause.source();
    }
    let detail = if causes.is_empty() { error.to_string() } else { causes.join(": ") };
    if is_timeout {
        TransportFailure::Timeout(detail)
    } else if is_connect {
        TransportFailure::Connect(detail)
    } else {
        TransportFailure::Io(detail)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A complete answer, for the tests of the code that reads answers.
    pub(crate) fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> InboundResponse {
        InboundResponse {
            status,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn debug_shows_the_shape_of_a_request_and_an_answer_never_the_key_or_bytes() {
        let request = OutboundRequest {
            method: Method::Post,
            url: Url::parse("https://api.example.com/v1/images/edits?sig=SIGNATURE").unwrap(),
            credential: Some(Credential { header: "authorization", value: "Bearer sk-debug-0123456789".into() }),
            headers: vec![("x-trace".into(), "TRACEVALUE".into())],
            body: Body::Multipart(vec![
                FormPart::Text { name: "prompt".into(), value: "a private prompt".into() },
                FormPart::File { name: "image[]".into(), file_name: "a.png".into(), content_type: "image/png".into(), bytes: b"PIXELS".to_vec() },
            ]),
        };
        let shown = format!("{request:?}");
        for secret in ["sk-debug-0123456789", "SIGNATURE", "private prompt", "PIXELS", "TRACEVALUE"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("image/png") && shown.contains("6 bytes"), "{shown}");
        let answer = InboundResponse { status: 200, headers: vec![("set-cookie".into(), "session=COOKIE".into())], body: b"{\"b64_json\":\"QUJD\"}".to_vec() };
        let shown = format!("{answer:?}");
        assert!(!shown.contains("COOKIE") && !shown.contains("QUJD"), "{shown}");
    }
}
