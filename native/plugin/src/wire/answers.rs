//! Answers of the OpenAI-compatible API read into images or an [`Error`]: `images/generations`
//! and `images/edits` (`data[]`), `responses` (`image_generation_call` outputs) and `models`.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::echo::{Echo, EchoWire};
use super::requests::is_data_url;
use super::usage::Usage;
use crate::error::http::{http_error, looks_like_html, is_json, provider_message, provider_request_id, PROVIDER_TEXT_CHARS};
use crate::error::Error;
use crate::http::endpoint::is_acceptable_image_url;
use crate::http::transport::InboundResponse;
use crate::safety::redact::{truncate, Redactor};

/// One image of a result, in `GatewayImageGenerationResult.data[]` form.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ImageOut {
    /// Base64 image bytes.
    pub b64_json: Option<String>,
    /// An https (or loopback http) URL; the call path fetches it and keeps its bytes.
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
    /// What the answer says it made (size, quality, format, background, seed), when it says so.
    pub echo: Option<Echo>,
    /// Set when a streaming request was answered without a stream.
    pub stream_fallback: Option<Fallback>,
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

#[derive(Deserialize)]
struct ImagesWire {
    created: Option<Value>,
    data: Option<Vec<ImageWire>>,
    usage: Option<Value>,
    error: Option<Value>,
    #[serde(flatten)]
    echo: EchoWire,
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
pub(crate) fn accept_image(b64: Option<String>, url: Option<String>, revised_prompt: Option<String>, redactor: &Redactor) -> Result<ImageOut, Error> {
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
        if !is_base64_text(text) {
            return Err(Error::invalid_response("The endpoint returned image data that is not base64."));
        }
    }
    if let Some(u) = url.as_deref() {
        if !is_acceptable_image_url(u) || redactor.contains_secret(u) {
            return Err(Error::invalid_response(
                "The endpoint returned an image URL that is not https; it was not used.",
            )
            .with_reason("insecure_url"));
        }
    }
    if b64.is_none() && url.is_none() {
        return Err(Error::invalid_response("The endpoint returned an image without data or URL."));
    }
    Ok(ImageOut { b64_json: b64, url, revised_prompt })
}

/// The bytes base64 text may hold: the standard alphabet, padding and line breaks.
const BASE64_TEXT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\r' | b'\n');
        byte += 1;
    }
    table
};

/// True when `text` is non-empty base64 text: one table look-up per byte, eight to a step with
/// no branch between them. At the shipped opt-level ("s": no loop vectorizer, no unrolling) the
/// per-byte `all()` of range checks took 13–21 ms on an 8 MB image; this takes 1.8 ms, as at opt-level 3.
fn is_base64_text(text: &str) -> bool {
    let ok = |b: &u8| BASE64_TEXT[usize::from(*b)];
    let mut words = text.as_bytes().chunks_exact(8);
    let words_ok = words.by_ref().all(|w| ok(&w[0]) & ok(&w[1]) & ok(&w[2]) & ok(&w[3]) & ok(&w[4]) & ok(&w[5]) & ok(&w[6]) & ok(&w[7]));
    !text.is_empty() && words_ok && words.remainder().iter().all(ok)
}

fn parse_json_answer<T: for<'de> Deserialize<'de>>(response: &InboundResponse) -> Result<T, Error> {
    if !is_json(response) && looks_like_html(response) {
        return Err(Error::invalid_response("The endpoint answered with an HTML page instead of JSON."));
    }
    serde_json::from_slice(&response.body).map_err(|e| {
        let what = if e.is_eof() { "incomplete (cut off)" } else { "not the JSON we expect" };
        Error::invalid_response(format!("The endpoint's answer is {what}."))
    })
}

/// Reads a 2xx answer of `images/generations` or `images/edits`.
pub fn read_images(response: InboundResponse, redactor: &Redactor) -> Result<ImagesOut, Error> {
    if !(200..300).contains(&response.status) {
        return Err(http_error(&response, redactor));
    }
    let request_id = provider_request_id(&response, None, redactor);
    let status = response.status;
    let parsed = parse_json_answer::<ImagesWire>(&response)
        .map_err(|e| e.with_status(status).with_provider_request_id(request_id.clone()))?;
    drop(response);
    let fail = |e: Error| e.with_status(status).with_provider_request_id(request_id.clone());
    let Some(data) = parsed.data else {
        let provider = parsed.error.as_ref().and_then(provider_message);
        return Err(fail(match provider.map(|text| truncate(&redactor.scrub(&text), PROVIDER_TEXT_CHARS)) {
            Some(text) => Error::invalid_response(format!("The endpoint answered without images: {text}")).with_provider_message(text),
            None => Error::invalid_response("The endpoint's answer has no data[] list."),
        }));
    };
    if data.is_empty() {
        return Err(fail(Error::invalid_response("The endpoint returned no images.").with_reason("no_image")));
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
        echo: parsed.echo.read(redactor),
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
    /// Each image generation call echoes the size, quality, format and background it used.
    #[serde(flatten)]
    echo: EchoWire,
}

/// Reads a 2xx answer of `responses`: each `image_generation_call` output becomes an image.
pub fn read_responses(response: InboundResponse, redactor: &Redactor) -> Result<ImagesOut, Error> {
    if !(200..300).contains(&response.status) {
        return Err(http_error(&response, redactor));
    }
    let request_id = provider_request_id(&response, None, redactor);
    let status = response.status;
    let fail = |e: Error| e.with_status(status).with_provider_request_id(request_id.clone());
    let parsed = parse_json_answer::<ResponsesWire>(&response).map_err(fail)?;
    drop(response);
    if let Some(text) = parsed.error.as_ref().filter(|e| !e.is_null()).and_then(provider_message) {
        let text = truncate(&redactor.scrub(&text), PROVIDER_TEXT_CHARS);
        return Err(fail(Error::invalid_response(format!("The endpoint reported an error: {text}")).with_provider_message(text)));
    }
    let Some(output) = parsed.output else {
        return Err(fail(Error::invalid_response("The endpoint's answer has no output[] list.")));
    };
    let mut images = Vec::new();
    let mut texts = Vec::new();
    let mut failed_calls = 0;
    let mut echo = None;
    for item in output {
        match item.kind.as_deref() {
            Some("image_generation_call") => match item.result {
                Some(result) if item.status.as_deref() != Some("failed") => {
                    images.push(accept_image(Some(result), None, item.revised_prompt, redactor).map_err(fail)?);
                    echo = Echo::merge(echo, item.echo.read(redactor));
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
            Error::invalid_response("The endpoint's image generation call failed.")
        } else if let Some(text) = texts.first() {
            let text = truncate(&redactor.scrub(text), PROVIDER_TEXT_CHARS);
            Error::invalid_response(format!("The model answered without an image: {text}")).with_provider_message(text)
        } else {
            Error::invalid_response("The endpoint returned no image.").with_reason("no_image")
        };
        return Err(fail(error));
    }
    Ok(ImagesOut {
        created: parsed.created_at.and_then(|c| c.as_u64()),
        data: images,
        provider_request_id: request_id,
        status,
        usage: parsed.usage.as_ref().and_then(Usage::read),
        echo,
        stream_fallback: None,
    })
}

/// What `GET models` told us.
#[derive(Debug, Clone, Default)]
pub struct ModelsOut {
    /// Model ids (at most 200).
    pub ids: Vec<String>,
    /// Per id: whether the listing says the model outputs images (`None`: it does not say).
    pub image: Vec<Option<bool>>,
    /// True when the answer had a `data[]` list.
    pub listed: bool,
}

/// Whether a model list entry says it outputs images: OpenRouter's
/// `architecture.output_modalities`, or Azure's `capabilities.image_generation`.
fn outputs_images(model: &Value) -> Option<bool> {
    if let Some(modalities) = model.pointer("/architecture/output_modalities").and_then(Value::as_array) {
        return Some(modalities.iter().any(|m| m.as_str() == Some("image")));
    }
    model.pointer("/capabilities/image_generation").and_then(Value::as_bool)
}

/// Reads a 2xx answer of `GET models`.
pub fn read_models(response: &InboundResponse) -> ModelsOut {
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let Some(list) = body.as_ref().and_then(|b| b.get("data")).and_then(Value::as_array) else {
        return ModelsOut::default();
    };
    let (ids, image) = list
        .iter()
        .filter_map(|m| Some((m.get("id").and_then(Value::as_str)?, m)))
        .filter(|(id, _)| id.len() <= 200)
        .take(200)
        .map(|(id, m)| (id.to_string(), outputs_images(m)))
        .unzip();
    ModelsOut { ids, image, listed: true }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::transport::tests::answer;

    #[test]
    fn html_pages_and_truncated_json_are_invalid_responses_on_2xx() {
        let html = read_images(answer(200, &[("content-type", "text/html")], "<html>oops</html>"), &Redactor::default()).unwrap_err();
        assert_eq!(html.code().as_str(), "invalid_response");
        let cut = read_images(answer(200, &[], r#"{"data":[{"b64_json":"AAA"#), &Redactor::default()).unwrap_err();
        assert_eq!(cut.code().as_str(), "invalid_response");
        assert!(cut.details().message.contains("cut off"));
    }

    #[test]
    fn insecure_image_urls_are_refused_and_data_urls_become_base64() {
        let bad = read_images(answer(200, &[], r#"{"data":[{"url":"http://cdn.example.com/a.png"}]}"#), &Redactor::default()).unwrap_err();
        assert_eq!(bad.code().as_str(), "invalid_response");
        let ok = read_images(answer(200, &[], r#"{"data":[{"url":"data:image/png;base64,iVBORw0K"}]}"#), &Redactor::default()).unwrap();
        assert_eq!(ok.data[0].b64_json.as_deref(), Some("iVBORw0K"));
        assert!(ok.data[0].url.is_none());
    }

    #[test]
    fn model_lists_flag_image_models_only_where_they_say_so() {
        let body = r#"{"data":[{"id":"a","architecture":{"output_modalities":["image","text"]}},{"id":"b","architecture":{"output_modalities":["text"]}},{"id":"c"}]}"#;
        let models = read_models(&answer(200, &[], body));
        assert_eq!(models.ids, ["a", "b", "c"]);
        assert_eq!(models.image, [Some(true), Some(false), None]);
    }

    #[test]
    fn base64_text_is_the_alphabet_padding_and_line_breaks_only() {
        for byte in 0..=255u8 {
            let expected = byte.is_ascii_alphanumeric() || b"+/=\r\n".contains(&byte);
            // In the first eight-byte word, a later one and the shorter rest.
            for at in [0, 70, 129] {
                let mut text = vec![b'A'; 130];
                text[at] = byte;
                let text = String::from_utf8_lossy(&text);
                assert_eq!(is_base64_text(&text), expected, "byte {byte:#04x} at {at}");
            }
        }
        assert!(!is_base64_text(""));
        assert!(is_base64_text("iVBORw0KGgo=\r\n"));
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
