//! Request bodies of the OpenAI-compatible API, derived with serde from the argument types:
//! `images/generations` (JSON), `images/edits` (multipart fields) and `responses` (JSON with the
//! `image_generation` tool). Each is sent with or without the streaming fields. JSON bodies go out
//! with their keys in alphabetical order.

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

use super::requests::{EditRequest, GenerateRequest, ResponsesRequest, Upload};
use crate::http::transport::{Body, FormPart};

/// Compression only means something for jpeg and webp; OpenAI refuses it for png (the default).
pub fn compression_for(format: &Option<String>, compression: Option<u32>) -> Option<u32> {
    match format.as_deref() {
        Some("jpeg") | Some("webp") => compression,
        _ => None,
    }
}

/// A body's JSON bytes, keys sorted (serde_json's map order).
fn json_bytes(body: &impl Serialize) -> Vec<u8> {
    serde_json::to_value(body).map(|value| value.to_string().into_bytes()).unwrap_or_default()
}

/// `POST images/generations`: the request's fields that are set, compression only where it
/// applies; `stream` asks for server-sent events with `partial_images` partial images.
#[derive(Serialize)]
struct Generation<'a> {
    #[serde(flatten)]
    request: &'a GenerateRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_compression: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_images: Option<u32>,
}

/// JSON body of `POST images/generations`; `stream` = partial images per image when streaming.
pub fn generation_body(request: &GenerateRequest, stream: Option<u32>) -> Vec<u8> {
    json_bytes(&Generation {
        request,
        output_compression: compression_for(&request.output_format, request.output_compression),
        stream: stream.map(|_| true),
        partial_images: stream,
    })
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
    text("seed", request.seed.map(|s| s.to_string()));
    text("negative_prompt", request.negative_prompt.clone());
    text("aspect_ratio", request.aspect_ratio.clone());
    text("resolution", request.resolution.clone());
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

/// `data:<type>;base64,<bytes>`.
pub(crate) fn data_url(upload: &Upload) -> String {
    format!("data:{};base64,{}", upload.content_type, base64::engine::general_purpose::STANDARD.encode(&upload.bytes))
}

/// `POST images/edits` as JSON (OpenAI's `EditImageBodyJsonParam`): the images and the mask as
/// `image_url` data URLs. That form has no `response_format`.
#[derive(Serialize)]
struct EditJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    prompt: &'a str,
    images: Vec<ImageUrl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mask: Option<ImageUrl>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_format: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_compression: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    moderation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_fidelity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    negative_prompt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aspect_ratio: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolution: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_images: Option<u32>,
}

/// JSON body of `POST images/edits` (`response_format` is refused by the caller: this form has none).
pub fn edit_json_body(request: &EditRequest, images: &[Upload], mask: Option<&Upload>, stream: Option<u32>) -> Vec<u8> {
    json_bytes(&EditJson {
        model: request.model.as_deref(),
        prompt: &request.prompt,
        images: images.iter().map(|image| ImageUrl { image_url: data_url(image) }).collect(),
        mask: mask.map(|mask| ImageUrl { image_url: data_url(mask) }),
        size: request.size.as_deref(),
        n: request.n,
        quality: request.quality.as_deref(),
        output_format: request.output_format.as_deref(),
        output_compression: compression_for(&request.output_format, request.output_compression),
        moderation: request.moderation.as_deref(),
        background: request.background.as_deref(),
        input_fidelity: request.input_fidelity.as_deref(),
        user: request.user.as_deref(),
        seed: request.seed,
        negative_prompt: request.negative_prompt.as_deref(),
        aspect_ratio: request.aspect_ratio.as_deref(),
        resolution: request.resolution.as_deref(),
        stream: stream.map(|_| true),
        partial_images: stream,
    })
}

/// `POST responses` with one `image_generation` tool that the model must call.
#[derive(Serialize)]
struct Responses<'a> {
    model: &'a str,
    input: Input<'a>,
    tools: [Tool<'a>; 1],
    tool_choice: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream: Option<bool>,
}

/// The prompt alone, or one user message with the prompt and the reference images.
#[derive(Serialize)]
#[serde(untagged)]
enum Input<'a> {
    Prompt(&'a str),
    Message([Message<'a>; 1]),
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: Vec<Content<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Content<'a> {
    InputText {
        text: &'a str,
    },
    /// `detail` is optional for OpenAI but required by its published schema.
    InputImage {
        image_url: String,
        detail: &'static str,
    },
}

/// The `image_generation` tool: the request's image options, renamed where the tool names them
/// differently (`image_model` → `model`, the mask → `input_image_mask`).
#[derive(Serialize)]
struct Tool<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_images: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_format: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_compression: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    background: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    moderation: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_fidelity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_image_mask: Option<ImageUrl>,
}

#[derive(Serialize)]
struct ImageUrl {
    image_url: String,
}

/// JSON body of `POST responses` with the `image_generation` tool and `tool_choice: "required"`.
pub fn responses_body(request: &ResponsesRequest, images: &[Upload], mask: Option<&Upload>, stream: Option<u32>) -> Vec<u8> {
    let tool = Tool {
        kind: "image_generation",
        partial_images: stream,
        model: request.image_model.as_deref(),
        size: request.size.as_deref(),
        quality: request.quality.as_deref(),
        output_format: request.output_format.as_deref(),
        output_compression: compression_for(&request.output_format, request.output_compression),
        background: request.background.as_deref(),
        moderation: request.moderation.as_deref(),
        action: request.action.as_deref(),
        input_fidelity: request.input_fidelity.as_deref(),
        input_image_mask: mask.map(|mask| ImageUrl { image_url: data_url(mask) }),
    };
    let input = if images.is_empty() {
        Input::Prompt(&request.prompt)
    } else {
        let content = std::iter::once(Content::InputText { text: &request.prompt })
            .chain(images.iter().map(|image| Content::InputImage { image_url: data_url(image), detail: "auto" }))
            .collect();
        Input::Message([Message { role: "user", content }])
    };
    json_bytes(&Responses { model: &request.model, input, tools: [tool], tool_choice: "required", stream: stream.map(|_| true) })
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_edits_carry_the_images_and_mask_as_data_urls() {
        let request: EditRequest = serde_json::from_value(json!({ "prompt": "fox", "images": [], "model": "gpt-image-1", "size": "1024x1024" })).unwrap();
        let image = Upload { field_name: "image[]".into(), file_name: "a.png".into(), content_type: "image/png".into(), bytes: vec![1, 2, 3] };
        let body: Value = serde_json::from_slice(&edit_json_body(&request, std::slice::from_ref(&image), Some(&image), Some(2))).unwrap();
        assert_eq!(body, json!({
            "model": "gpt-image-1", "prompt": "fox", "size": "1024x1024",
            "images": [{ "image_url": "data:image/png;base64,AQID" }], "mask": { "image_url": "data:image/png;base64,AQID" },
            "stream": true, "partial_images": 2
        }));
    }

    #[test]
    fn optional_fields_are_sent_only_when_set_and_response_format_never_by_default() {
        let request: GenerateRequest = serde_json::from_value(json!({ "model": "gpt-image-1", "prompt": "fox" })).unwrap();
        let body: Value = serde_json::from_slice(&generation_body(&request, None)).unwrap();
        assert_eq!(body, json!({ "model": "gpt-image-1", "prompt": "fox" }));
    }

    #[test]
    fn a_ratio_and_resolution_go_out_only_when_given() {
        let request: GenerateRequest = serde_json::from_value(json!({ "model": "grok-imagine-image", "prompt": "fox", "aspect_ratio": "16:9", "resolution": "2k" })).unwrap();
        let body: Value = serde_json::from_slice(&generation_body(&request, None)).unwrap();
        assert_eq!(body, json!({ "model": "grok-imagine-image", "prompt": "fox", "aspect_ratio": "16:9", "resolution": "2k" }));
        let request: EditRequest = serde_json::from_value(json!({ "prompt": "fox", "images": [], "aspect_ratio": "1:1" })).unwrap();
        let body: Value = serde_json::from_slice(&edit_json_body(&request, &[], None, None)).unwrap();
        assert_eq!((&body["aspect_ratio"], body.get("resolution")), (&json!("1:1"), None));
        let form = edit_form(&request, Vec::new(), None, None);
        assert!(form.iter().any(|part| matches!(part, FormPart::Text { name, value } if name == "aspect_ratio" && value == "1:1")));
        assert!(!form.iter().any(|part| matches!(part, FormPart::Text { name, .. } if name == "resolution")));
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
    fn bodies_carry_every_field_that_is_set_and_the_streaming_fields_only_when_streaming() {
        let request: GenerateRequest = serde_json::from_value(json!({
            "model": "gpt-image-1", "prompt": "fox", "size": "1024x1024", "n": 2, "quality": "high", "style": "vivid",
            "output_format": "jpeg", "output_compression": 70, "moderation": "low", "response_format": "b64_json",
            "background": "opaque", "user": "u-1"
        }))
        .unwrap();
        let plain = String::from_utf8(generation_body(&request, None)).unwrap();
        assert_eq!(
            plain,
            r#"{"background":"opaque","model":"gpt-image-1","moderation":"low","n":2,"output_compression":70,"output_format":"jpeg","prompt":"fox","quality":"high","response_format":"b64_json","size":"1024x1024","style":"vivid","user":"u-1"}"#
        );
        let streamed: Value = serde_json::from_slice(&generation_body(&request, Some(2))).unwrap();
        assert_eq!((&streamed["stream"], &streamed["partial_images"]), (&json!(true), &json!(2)));

        let request: ResponsesRequest = serde_json::from_value(json!({
            "model": "gpt-4.1", "prompt": "fox", "image_model": "gpt-image-1", "size": "1024x1024", "output_format": "png",
            "output_compression": 50, "action": "generate"
        }))
        .unwrap();
        let plain = String::from_utf8(responses_body(&request, &[], None, None)).unwrap();
        assert_eq!(
            plain,
            r#"{"input":"fox","model":"gpt-4.1","tool_choice":"required","tools":[{"action":"generate","model":"gpt-image-1","output_format":"png","size":"1024x1024","type":"image_generation"}]}"#
        );
        let image = Upload { field_name: "image[]".into(), file_name: "a.png".into(), content_type: "image/png".into(), bytes: vec![1, 2, 3] };
        let streamed: Value = serde_json::from_slice(&responses_body(&request, std::slice::from_ref(&image), Some(&image), Some(3))).unwrap();
        assert_eq!(streamed["stream"], json!(true));
        assert_eq!(streamed["tools"][0]["partial_images"], json!(3));
        assert_eq!(streamed["tools"][0]["input_image_mask"], json!({ "image_url": "data:image/png;base64,AQID" }));
        assert_eq!(
            streamed["input"],
            json!([{ "role": "user", "content": [
                { "type": "input_text", "text": "fox" },
                { "type": "input_image", "image_url": "data:image/png;base64,AQID", "detail": "auto" }
            ] }])
        );
    }
}
