//! Chat completions with image output (OpenRouter, Vercel AI Gateway and similar): the images
//! come in `choices[].message.images[].image_url.url` (data URLs, or links), or streamed in
//! `choices[].delta.images`; `content` may hold text, which is the model's refusal when no image
//! came. `usage` has chat's names (`prompt_tokens`, `completion_tokens`).

use serde_json::{json, Value};

use super::answers::{accept_image, ImageOut, ImagesOut};
use super::usage::Usage;
use crate::error::http::{http_error, provider_message, provider_request_id, PROVIDER_TEXT_CHARS};
use crate::error::Error;
use crate::http::transport::InboundResponse;
use crate::safety::redact::{truncate, Redactor};

/// Chat's usage read into OpenAI's image usage names.
pub(crate) fn chat_usage(usage: Option<&Value>) -> Option<Usage> {
    let usage = usage?;
    Usage::read(&json!({
        "input_tokens": usage.get("prompt_tokens"),
        "output_tokens": usage.get("completion_tokens"),
        "total_tokens": usage.get("total_tokens"),
    }))
}

/// The images of one `message` or `delta` object, in order.
pub(crate) fn images_of(message: &Value, redactor: &Redactor) -> Result<Vec<ImageOut>, Error> {
    let Some(images) = message.get("images").and_then(Value::as_array) else { return Ok(Vec::new()) };
    images
        .iter()
        .map(|image| {
            let url = image.pointer("/image_url/url").or_else(|| image.get("url")).and_then(Value::as_str).map(str::to_string);
            accept_image(None, url, None, redactor)
        })
        .collect()
}

/// The text a message carries (`content` as a string, or its text parts).
pub(crate) fn text_of(message: &Value) -> Option<String> {
    match message.get("content") {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Array(parts)) => Some(parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect::<Vec<_>>().join("")),
        _ => None,
    }
    .filter(|t| !t.trim().is_empty())
}

/// No image came: the model's words when it said any, else `no_image`.
pub(crate) fn no_image(text: Option<&str>, redactor: &Redactor) -> Error {
    match text {
        Some(text) => {
            let text = truncate(&redactor.scrub(text), PROVIDER_TEXT_CHARS);
            Error::invalid_response(format!("The model answered without an image: {text}")).with_provider_message(text)
        }
        None => Error::invalid_response("The endpoint returned no image.").with_reason("no_image"),
    }
}

/// Reads a 2xx answer of `chat/completions`.
pub fn read_chat(response: InboundResponse, redactor: &Redactor) -> Result<ImagesOut, Error> {
    if !(200..300).contains(&response.status) {
        return Err(http_error(&response, redactor));
    }
    let request_id = provider_request_id(&response, None, redactor);
    let status = response.status;
    let fail = |e: Error| e.with_status(status).with_provider_request_id(request_id.clone());
    let body: Value = serde_json::from_slice(&response.body).map_err(|_| fail(Error::invalid_response("The endpoint's answer is not the JSON we expect.")))?;
    drop(response);
    if let Some(text) = body.get("error").filter(|e| !e.is_null()).and_then(|e| provider_message(&json!({ "error": e }))) {
        let text = truncate(&redactor.scrub(&text), PROVIDER_TEXT_CHARS);
        return Err(fail(Error::invalid_response(format!("The endpoint reported an error: {text}")).with_provider_message(text)));
    }
    let Some(choices) = body.get("choices").and_then(Value::as_array) else {
        return Err(fail(Error::invalid_response("The endpoint's answer has no choices[] list.")));
    };
    let mut data = Vec::new();
    let mut text = None;
    for message in choices.iter().filter_map(|c| c.get("message")) {
        data.extend(images_of(message, redactor).map_err(fail)?);
        text = text.or_else(|| text_of(message));
    }
    if data.is_empty() {
        return Err(fail(no_image(text.as_deref(), redactor)));
    }
    Ok(ImagesOut {
        created: body.get("created").and_then(Value::as_u64),
        data,
        provider_request_id: request_id,
        status,
        usage: chat_usage(body.get("usage")),
        echo: None,
        stream_fallback: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::transport::tests::answer;

    #[test]
    fn images_come_from_message_images_and_a_text_only_answer_quotes_the_model() {
        let body = r#"{"created":1,"choices":[{"message":{"role":"assistant","content":"Here","images":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}}]}}],"usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"#;
        let out = read_chat(answer(200, &[], body), &Redactor::default()).unwrap();
        assert_eq!(out.data[0].b64_json.as_deref(), Some("iVBORw0K"));
        assert_eq!(out.usage.unwrap().output_tokens, Some(7));
        let refused = r#"{"choices":[{"message":{"role":"assistant","content":"I cannot draw that."}}]}"#;
        let error = read_chat(answer(200, &[], refused), &Redactor::default()).unwrap_err();
        assert_eq!(error.details().provider_message.as_deref(), Some("I cannot draw that."));
        let data_only = r#"{"data":[{"b64_json":"iVBORw0K"}]}"#;
        assert_eq!(read_chat(answer(200, &[], data_only), &Redactor::default()).unwrap_err().code().as_str(), "invalid_response");
    }

    struct NoPartials;
    impl crate::wire::events::PartialSink for NoPartials {
        fn partial(&self, _: crate::wire::events::Partial) {}
        fn image_done(&self, _: u32) {}
    }

    fn read_stream(body: &str) -> Result<ImagesOut, Error> {
        use crate::wire::events::{read, StreamApi, Streamed};
        let response = answer(200, &[("content-type", "text/event-stream")], body).into();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        match runtime.block_on(read(response, StreamApi::Chat, 1, 1 << 20, &NoPartials, &Redactor::default()))? {
            Streamed::Events(out) => Ok(out),
            Streamed::NotAStream(_) => panic!("read as a stream"),
        }
    }

    #[test]
    fn a_chat_stream_ends_at_done_or_at_a_finish_with_images_and_quotes_a_text_only_answer() {
        let image = r#"data: {"choices":[{"delta":{"images":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}}]},"finish_reason":null}]}"#;
        let finish = r#"data: {"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}"#;
        let done = read_stream(&format!("{image}\n\n{finish}\n\ndata: [DONE]\n\n")).unwrap();
        assert_eq!((done.data.len(), done.usage.unwrap().output_tokens), (1, Some(2)));
        assert_eq!(read_stream(&format!("{image}\n\n{finish}\n\n")).unwrap().data.len(), 1, "no [DONE] after the finish");
        assert_eq!(read_stream(&format!("{image}\n\n")).unwrap_err().details().reason, Some("stream_cut"));
        let text = r#"data: {"choices":[{"delta":{"content":"I cannot draw that."},"finish_reason":"stop"}]}"#;
        let refused = read_stream(&format!("{text}\n\ndata: [DONE]\n\n")).unwrap_err();
        assert_eq!(refused.details().provider_message.as_deref(), Some("I cannot draw that."));
    }
}
