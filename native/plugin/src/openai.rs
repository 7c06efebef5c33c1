//! The OpenAI-compatible wire: request bodies for generations, edits and responses, and the
//! reading of answers into images or a [`GatewayError`].

use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::args::{is_data_url, EditRequest, GenerateRequest, ResponsesRequest, Upload};
use crate::endpoint::is_acceptable_image_url;
use crate::error::GatewayError;
use crate::redact::{truncate, Redactor};
use crate::transport::{Body, FormPart, InboundResponse, TransportFailure};
use crate::usage::Usage;

/// Provider text inside our messages is cut to this many characters.
const PROVIDER_TEXT_CHARS: usize = 200;

/// One image of a result, in `GatewayImageGenerationResult.data[]` form.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ImageOut {
    /// Base64 image bytes.
    pub b64_json: Option<String>,
    /// An https (or loopback http) URL, never fetched here.
    pub url: Option<String>,
    /// The provider's rewritten prompt.
    pub revised_prompt: Option<String>,
}

impl std::fmt::Debug for ImageOut {
    /// Sizes only: the image and the provider's prompt text stay out of any log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b64 = self.b64_json.as_ref().map(String::len);
        let prompt = self.revised_prompt.as_ref().map(|p| p.chars().count());
        write!(f, "ImageOut {{ b64_json: {b64:?} chars, url: {}, revised_prompt: {prompt:?} chars }}", self.url.is_some())
    }
}

/// A successful answer.
#[derive(Debug, Clone, Default)]
pub struct ImagesOut {
    /// `created` from the provider.
    pub created: Option<u64>,
    /// The images, at least one.
    pub data: Vec<ImageOut>,
    /// The provider's request id.
    pub provider_request_id: Option<String>,
    /// HTTP status (200).
    pub status: u16,
    /// Token usage, when the provider reports it.
    pub usage: Option<Usage>,
    /// Set when a streaming request was answered without a stream.
    pub stream_fallback: Option<crate::stream::Fallback>,
}

impl ImagesOut {
    /// `{ created?, data: [...], usage? }`: the `GatewayImageGenerationResult` shape.
    /// Consumes self so multi-megabyte base64 strings are moved, not copied.
    pub fn into_result_json(self, redactor: &Redactor) -> Value {
        let data: Vec<Value> = self
            .data
            .into_iter()
            .map(|image| {
                let mut item = Map::new();
                if let Some(b64) = image.b64_json {
                    item.insert("b64_json".into(), Value::String(b64));
                }
                if let Some(url) = image.url {
                    item.insert("url".into(), Value::String(url));
                }
                if let Some(text) = image.revised_prompt {
                    item.insert("revised_prompt".into(), Value::String(redactor.scrub(&text)));
                }
                Value::Object(item)
            })
            .collect();
        let mut result = Map::new();
        if let Some(created) = self.created {
            result.insert("created".into(), json!(created));
        }
        result.insert("data".into(), Value::Array(data));
        if let Some(usage) = self.usage {
            result.insert("usage".into(), usage.to_json());
        }
        Value::Object(result)
    }
}

fn put(map: &mut Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        map.insert(key.into(), Value::String(v.clone()));
    }
}

/// Compression only means something for jpeg and webp; OpenAI refuses it for png (the default).
fn compression_for(format: &Option<String>, compression: Option<u32>) -> Option<u32> {
    match format.as_deref() {
        Some("jpeg") | Some("webp") => compression,
        _ => None,
    }
}

/// JSON body of `POST images/generations`: only the fields that are set; `stream` asks for
/// server-sent events with this many partial images.
pub fn generation_body(request: &GenerateRequest, stream: Option<u32>) -> Vec<u8> {
    let mut body = Map::new();
    if let Some(partials) = stream {
        body.insert("stream".into(), json!(true));
        body.insert("partial_images".into(), json!(partials));
    }
    body.insert("model".into(), json!(request.model));
    body.insert("prompt".into(), json!(request.prompt));
    put(&mut body, "size", &request.size);
    if let Some(n) = request.n {
        body.insert("n".into(), json!(n));
    }
    put(&mut body, "quality", &request.quality);
    put(&mut body, "style", &request.style);
    put(&mut body, "output_format", &request.output_format);
    if let Some(c) = compression_for(&request.output_format, request.output_compression) {
        body.insert("output_compression".into(), json!(c));
    }
    put(&mut body, "moderation", &request.moderation);
    put(&mut body, "response_format", &request.response_format);
    put(&mut body, "background", &request.background);
    put(&mut body, "user", &request.user);
    Value::Object(body).to_string().into_bytes()
}

/// Multipart fields of `POST images/edits`: text fields first, then one file part per image and
/// the mask, each with its content type.
pub fn edit_form(request: &EditRequest, images: Vec<Upload>, mask: Option<Upload>, stream: Option<u32>) -> Vec<FormPart> {
    let mut parts = Vec::new();
    if let Some(partials) = stream {
        parts.push(FormPart::Text { name: "stream".into(), value: "true".into() });
        parts.push(FormPart::Text { name: "partial_images".into(), value: partials.to_string() });
    }
    let mut text = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            parts.push(FormPart::Text { name: name.into(), value });
        }
    };
    text("prompt", Some(request.prompt.clone()));
    text("model", request.model.clone());
    text("size", request.size.clone());
    text("n", request.n.map(|n| n.to_string()));
    text("quality", request.quality.clone());
    text("output_format", request.output_format.clone());
    text("output_compression", compression_for(&request.output_format, request.output_compression).map(|c| c.to_string()));
    text("moderation", request.moderation.clone());
    text("response_format", request.response_format.clone());
    text("background", request.background.clone());
    text("input_fidelity", request.input_fidelity.clone());
    text("user", request.user.clone());
    for upload in images.into_iter().chain(mask) {
        parts.push(FormPart::File {
            name: upload.field_name,
            file_name: upload.file_name,
            content_type: upload.content_type,
            bytes: upload.bytes,
        });
    }
    parts
}

fn data_url(upload: &Upload) -> String {
    format!("data:{};base64,{}", upload.content_type, base64::engine::general_purpose::STANDARD.encode(&upload.bytes))
}

/// JSON body of `POST responses` with the `image_generation` tool and `tool_choice: "required"`.
pub fn responses_body(request: &ResponsesRequest, images: &[Upload], mask: Option<&Upload>, stream: Option<u32>) -> Vec<u8> {
    let mut tool = Map::new();
    tool.insert("type".into(), json!("image_generation"));
    if let Some(partials) = stream {
        tool.insert("partial_images".into(), json!(partials));
    }
    put(&mut tool, "model", &request.image_model);
    put(&mut tool, "size", &request.size);
    put(&mut tool, "quality", &request.quality);
    put(&mut tool, "output_format", &request.output_format);
    if let Some(c) = compression_for(&request.output_format, request.output_compression) {
        tool.insert("output_compression".into(), json!(c));
    }
    put(&mut tool, "background", &request.background);
    put(&mut tool, "moderation", &request.moderation);
    put(&mut tool, "action", &request.action);
    put(&mut tool, "input_fidelity", &request.input_fidelity);
    if let Some(mask) = mask {
        tool.insert("input_image_mask".into(), json!({ "image_url": data_url(mask) }));
    }
    let input = if images.is_empty() {
        json!(request.prompt)
    } else {
        let mut content = vec![json!({ "type": "input_text", "text": request.prompt })];
        for image in images {
            // `detail` is optional for OpenAI but required by its published schema.
            content.push(json!({ "type": "input_image", "image_url": data_url(image), "detail": "auto" }));
        }
        json!([{ "role": "user", "content": content }])
    };
    let mut body = json!({ "model": request.model, "input": input, "tools": [Value::Object(tool)], "tool_choice": "required" });
    if stream.is_some() {
        body["stream"] = json!(true);
    }
    body.to_string().into_bytes()
}

/// The same request without the streaming fields, for an endpoint that refused them.
pub fn without_stream(body: Body) -> Body {
    match body {
        Body::Json(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut value) => {
                if let Some(map) = value.as_object_mut() {
                    map.remove("stream");
                    map.remove("partial_images");
                }
                if let Some(tools) = value.get_mut("tools").and_then(Value::as_array_mut) {
                    for tool in tools.iter_mut().filter_map(Value::as_object_mut) {
                        tool.remove("partial_images");
                    }
                }
                Body::Json(value.to_string().into_bytes())
            }
            Err(_) => Body::Json(bytes),
        },
        Body::Multipart(parts) => Body::Multipart(
            parts
                .into_iter()
                .filter(|part| !matches!(part, FormPart::Text { name, .. } if name == "stream" || name == "partial_images"))
                .collect(),
        ),
        Body::Empty => Body::Empty,
    }
}

/// The provider's request id: headers `x-request-id`, `request-id`, `openai-request-id`,
/// `cf-ray`, then the error body's `request_id`. Only short plain ids are kept.
pub fn provider_request_id(response: &InboundResponse, body: Option<&Value>) -> Option<String> {
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
}

/// Retry-After as milliseconds: `retry-after-ms`, else `retry-after` seconds; capped at a day.
pub fn retry_after_ms(response: &InboundResponse) -> Option<u64> {
    let ms = response
        .header("retry-after-ms")
        .and_then(|v| v.trim().parse::<f64>().ok())
        .or_else(|| response.header("retry-after").and_then(|v| v.trim().parse::<f64>().ok()).map(|s| s * 1000.0))?;
    (ms.is_finite() && ms >= 0.0).then(|| (ms as u64).min(86_400_000))
}

fn is_json(response: &InboundResponse) -> bool {
    response.header("content-type").is_none_or(|ct| ct.to_ascii_lowercase().contains("json"))
}

fn looks_like_html(response: &InboundResponse) -> bool {
    response.header("content-type").is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
        || response.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// The provider's own error text: OpenAI `error.message`, problem+json `detail`/`title`, or a
/// plain `message`/`error` string.
fn provider_message(body: &Value) -> Option<String> {
    [body.pointer("/error/message"), body.get("detail"), body.get("title"), body.get("message"), body.get("error")]
        .into_iter()
        .flatten()
        .find_map(|v| v.as_str().map(str::to_string))
        .filter(|m| !m.trim().is_empty())
}

/// Maps a non-2xx answer to an error with the provider's (redacted, cut) message.
pub fn http_error(response: &InboundResponse, redactor: &Redactor) -> GatewayError {
    let status = response.status;
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let request_id = provider_request_id(response, body.as_ref());
    let (make, summary): (fn(String) -> GatewayError, &str) = match status {
        300..=399 => (GatewayError::invalid_response, "The endpoint redirected the request; enter the final URL as the base URL"),
        400 | 422 => (GatewayError::invalid_request, "The endpoint rejected the request"),
        401 => (|m| GatewayError::Unauthorized(details(m)), "The endpoint did not accept the API key"),
        403 => (|m| GatewayError::Forbidden(details(m)), "The API key is not allowed to do this"),
        404 => (|m| GatewayError::NotFound(details(m)), "The endpoint does not know this path or model"),
        408 => (GatewayError::timeout, "The endpoint timed out"),
        413 => (GatewayError::payload_too_large, "The request is too large for the endpoint"),
        429 => (|m| GatewayError::RateLimited(details(m)), "The endpoint is rate limiting requests"),
        500..=599 => (|m| GatewayError::ServerError(details(m)), "The endpoint failed"),
        _ => (GatewayError::invalid_request, "The endpoint refused the request"),
    };
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
    let mut error = make(message);
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

fn details(message: String) -> crate::error::Details {
    crate::error::Details { message, ..Default::default() }
}

/// Maps a transport failure.
pub fn transport_error(failure: TransportFailure, redactor: &Redactor) -> GatewayError {
    match failure {
        TransportFailure::Connect(detail) => {
            // Refused, DNS or TLS: no request byte reached the provider.
            GatewayError::network(format!("Could not connect to the endpoint: {}", truncate(&redactor.scrub(&detail), PROVIDER_TEXT_CHARS)))
                .with_sent(false)
                .with_reason("connect_failed")
        }
        // The HTTP client's own words (e.g. "client error (SendRequest)") stay in the message for
        // the log; the panel words the reason.
        TransportFailure::Io(detail) => GatewayError::network(format!(
            "The connection to the endpoint broke: {}",
            truncate(&redactor.scrub(&detail), PROVIDER_TEXT_CHARS)
        ))
        .with_reason("connection_broke"),
        TransportFailure::Timeout(detail) => GatewayError::timeout(format!(
            "The endpoint did not answer in time: {}",
            truncate(&redactor.scrub(&detail), PROVIDER_TEXT_CHARS)
        )),
        TransportFailure::TooLarge { status, headers } => {
            let response = InboundResponse { status, headers, body: Vec::new() };
            // The provider answered, so it ran the request; only its answer was refused here.
            GatewayError::payload_too_large("The endpoint's answer is larger than the size limit.")
                .with_status(status)
                .with_may_have_run(true)
                .with_provider_request_id(provider_request_id(&response, None))
        }
    }
}

#[derive(Deserialize)]
struct ImagesWire {
    created: Option<Value>,
    data: Option<Vec<ImageWire>>,
    usage: Option<Value>,
    error: Option<Value>,
}

#[derive(Deserialize)]
struct ImageWire {
    b64_json: Option<String>,
    url: Option<String>,
    revised_prompt: Option<String>,
}

/// Checks one image: base64 text or an acceptable URL (a `data:image/…;base64,` URL becomes
/// base64). Bytes are not decoded (that would double the memory of large answers); the
/// characters are checked.
pub(crate) fn accept_image(b64: Option<String>, url: Option<String>, revised_prompt: Option<String>, redactor: &Redactor) -> Result<ImageOut, GatewayError> {
    let mut b64 = b64.filter(|s| !s.is_empty());
    let mut url = url.filter(|s| !s.is_empty());
    if let Some(u) = url.as_deref() {
        if is_data_url(u) {
            let payload = u.split_once(',').map(|(_, p)| p.to_string());
            b64 = b64.or(payload);
            url = None;
        }
    }
    if let Some(text) = b64.as_mut() {
        if is_data_url(text) {
            *text = text.split_once(',').map(|(_, p)| p.to_string()).unwrap_or_default();
        }
        let valid = !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\r' | b'\n'));
        if !valid {
            return Err(GatewayError::invalid_response("The endpoint returned image data that is not base64."));
        }
    }
    if let Some(u) = url.as_deref() {
        if !is_acceptable_image_url(u) || redactor.contains_secret(u) {
            return Err(GatewayError::invalid_response(
                "The endpoint returned an image URL that is not https; it was not used.",
            )
            .with_reason("insecure_url"));
        }
    }
    if b64.is_none() && url.is_none() {
        return Err(GatewayError::invalid_response("The endpoint returned an image without data or URL."));
    }
    Ok(ImageOut { b64_json: b64, url, revised_prompt })
}

fn parse_json_answer<T: for<'de> Deserialize<'de>>(response: &InboundResponse) -> Result<T, GatewayError> {
    if !is_json(response) && looks_like_html(response) {
        return Err(GatewayError::invalid_response("The endpoint answered with an HTML page instead of JSON."));
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        let what = if e.is_eof() { "incomplete (cut off)" } else { "not the JSON we expect" };
        GatewayError::invalid_response(format!("The endpoint's answer is {what}."))
    })
}

/// Reads a 2xx answer of `images/generations` or `images/edits`.
pub fn read_images(response: InboundResponse, redactor: &Redactor) -> Result<ImagesOut, GatewayError> {
    if !(200..300).contains(&response.status) {
        return Err(http_error(&response, redactor));
    }
    let request_id = provider_request_id(&response, None);
    let status = response.status;
    let parsed = parse_json_answer::<ImagesWire>(&response)
        .map_err(|e| e.with_status(status).with_provider_request_id(request_id.clone()))?;
    drop(response);
    let fail = |e: GatewayError| e.with_status(status).with_provider_request_id(request_id.clone());
    let Some(data) = parsed.data else {
        let provider = parsed.error.as_ref().and_then(provider_message);
        return Err(fail(match provider.map(|text| truncate(&redactor.scrub(&text), PROVIDER_TEXT_CHARS)) {
            Some(text) => GatewayError::invalid_response(format!("The endpoint answered without images: {text}")).with_provider_message(text),
            None => GatewayError::invalid_response("The endpoint's answer has no data[] list."),
        }));
    };
    if data.is_empty() {
        return Err(fail(GatewayError::invalid_response("The endpoint returned no images.").with_reason("no_image")));
    }
    let images = data
        .into_iter()
        .map(|image| accept_image(image.b64_json, image.url, image.revised_prompt, redactor))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    Ok(ImagesOut {
        created: parsed.created.and_then(|c| c.as_u64()),
        data: images,
        provider_request_id: request_id,
        status,
        usage: parsed.usage.as_ref().and_then(Usage::read),
        stream_fallback: None,
    })
}

#[derive(Deserialize)]
struct ResponsesWire {
    created_at: Option<Value>,
    output: Option<Vec<OutputItem>>,
    error: Option<Value>,
    usage: Option<Value>,
}

#[derive(Deserialize)]
struct OutputItem {
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    result: Option<String>,
    revised_prompt: Option<String>,
    content: Option<Vec<Value>>,
}

/// Reads a 2xx answer of `responses`: each `image_generation_call` output becomes an image.
pub fn read_responses(response: InboundResponse, redactor: &Redactor) -> Result<ImagesOut, GatewayError> {
    if !(200..300).contains(&response.status) {
        return Err(http_error(&response, redactor));
    }
    let request_id = provider_request_id(&response, None);
    let status = response.status;
    let fail = |e: GatewayError| e.with_status(status).with_provider_request_id(request_id.clone());
    let parsed = parse_json_answer::<ResponsesWire>(&response).map_err(fail)?;
    drop(response);
    if let Some(text) = parsed.error.as_ref().filter(|e| !e.is_null()).and_then(provider_message) {
        let text = truncate(&redactor.scrub(&text), PROVIDER_TEXT_CHARS);
        return Err(fail(GatewayError::invalid_response(format!("The endpoint reported an error: {text}")).with_provider_message(text)));
    }
    let Some(output) = parsed.output else {
        return Err(fail(GatewayError::invalid_response("The endpoint's answer has no output[] list.")));
    };
    let mut images = Vec::new();
    let mut texts = Vec::new();
    let mut failed_calls = 0;
    for item in output {
        match item.kind.as_deref() {
            Some("image_generation_call") => match item.result {
                Some(result) if item.status.as_deref() != Some("failed") => {
                    images.push(accept_image(Some(result), None, item.revised_prompt, redactor).map_err(fail)?);
                }
                _ => failed_calls += 1,
            },
            Some("message") => {
                for part in item.content.unwrap_or_default() {
                    if let Some(text) = part.get("text").and_then(Value::as_str) {
                        texts.push(text.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    if images.is_empty() {
        let error = if failed_calls > 0 {
            GatewayError::invalid_response("The endpoint's image generation call failed.")
        } else if let Some(text) = texts.first() {
            let text = truncate(&redactor.scrub(text), PROVIDER_TEXT_CHARS);
            GatewayError::invalid_response(format!("The model answered without an image: {text}")).with_provider_message(text)
        } else {
            GatewayError::invalid_response("The endpoint returned no image.").with_reason("no_image")
        };
        return Err(fail(error));
    }
    Ok(ImagesOut {
        created: parsed.created_at.and_then(|c| c.as_u64()),
        data: images,
        provider_request_id: request_id,
        status,
        usage: parsed.usage.as_ref().and_then(Usage::read),
        stream_fallback: None,
    })
}

/// What `GET models` told us.
#[derive(Debug, Clone, Default)]
pub struct ModelsOut {
    /// Model ids (at most 200).
    pub ids: Vec<String>,
    /// True when the answer had a `data[]` list.
    pub listed: bool,
}

/// Reads a 2xx answer of `GET models`.
pub fn read_models(response: &InboundResponse) -> ModelsOut {
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let Some(list) = body.as_ref().and_then(|b| b.get("data")).and_then(Value::as_array) else {
        return ModelsOut::default();
    };
    let ids = list
        .iter()
        .filter_map(|m| m.get("id").and_then(Value::as_str))
        .filter(|id| id.len() <= 200)
        .take(200)
        .map(str::to_string)
        .collect();
    ModelsOut { ids, listed: true }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> InboundResponse {
        InboundResponse {
            status,
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn optional_fields_are_sent_only_when_set_and_response_format_never_by_default() {
        let request: GenerateRequest = serde_json::from_value(json!({ "model": "gpt-image-1", "prompt": "fox" })).unwrap();
        let body: Value = serde_json::from_slice(&generation_body(&request, None)).unwrap();
        assert_eq!(body, json!({ "model": "gpt-image-1", "prompt": "fox" }));
    }

    #[test]
    fn compression_is_dropped_for_png() {
        let request: GenerateRequest = serde_json::from_value(json!({ "model": "m", "prompt": "p", "output_format": "png", "output_compression": 50 })).unwrap();
        let body: Value = serde_json::from_slice(&generation_body(&request, None)).unwrap();
        assert!(body.get("output_compression").is_none());
        let request: GenerateRequest = serde_json::from_value(json!({ "model": "m", "prompt": "p", "output_format": "webp", "output_compression": 50 })).unwrap();
        let body: Value = serde_json::from_slice(&generation_body(&request, None)).unwrap();
        assert_eq!(body["output_compression"], 50);
    }

    #[test]
    fn rate_limit_carries_retry_after_and_the_provider_request_id() {
        let error = http_error(&answer(429, &[("retry-after", "2"), ("x-request-id", "req_9")], r#"{"error":{"message":"Slow down"}}"#), &Redactor::default());
        assert_eq!(error.code(), "rate_limited");
        assert_eq!(error.details().retry_after_ms, Some(2000));
        assert_eq!(error.details().provider_request_id.as_deref(), Some("req_9"));
        assert!(error.details().message.contains("Slow down"));
    }

    #[test]
    fn provider_messages_are_cut_to_200_characters() {
        let long = "x ".repeat(400);
        let error = http_error(&answer(400, &[], &format!(r#"{{"error":{{"message":"{long}"}}}}"#)), &Redactor::default());
        assert!(error.details().message.chars().count() < 300);
    }

    #[test]
    fn html_pages_and_truncated_json_are_invalid_responses_on_2xx() {
        let html = read_images(answer(200, &[("content-type", "text/html")], "<html>oops</html>"), &Redactor::default()).unwrap_err();
        assert_eq!(html.code(), "invalid_response");
        let cut = read_images(answer(200, &[], r#"{"data":[{"b64_json":"AAA"#), &Redactor::default()).unwrap_err();
        assert_eq!(cut.code(), "invalid_response");
        assert!(cut.details().message.contains("cut off"));
    }

    #[test]
    fn insecure_image_urls_are_refused_and_data_urls_become_base64() {
        let bad = read_images(answer(200, &[], r#"{"data":[{"url":"http://cdn.example.com/a.png"}]}"#), &Redactor::default()).unwrap_err();
        assert_eq!(bad.code(), "invalid_response");
        let ok = read_images(answer(200, &[], r#"{"data":[{"url":"data:image/png;base64,iVBORw0K"}]}"#), &Redactor::default()).unwrap();
        assert_eq!(ok.data[0].b64_json.as_deref(), Some("iVBORw0K"));
        assert!(ok.data[0].url.is_none());
    }

    #[test]
    fn responses_output_items_become_images() {
        let body = r#"{"output":[{"type":"image_generation_call","status":"completed","result":"iVBORw0K","revised_prompt":"r"},{"type":"message","content":[{"type":"output_text","text":"done"}]}]}"#;
        let out = read_responses(answer(200, &[("request-id", "abc")], body), &Redactor::default()).unwrap();
        assert_eq!(out.data.len(), 1);
        assert_eq!(out.provider_request_id.as_deref(), Some("abc"));
        let refusal = r#"{"output":[{"type":"message","content":[{"type":"output_text","text":"I cannot draw that."}]}]}"#;
        let error = read_responses(answer(200, &[], refusal), &Redactor::default()).unwrap_err();
        assert!(error.details().message.contains("I cannot draw that."));
    }
}
