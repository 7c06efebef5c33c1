//! Strict stand-ins for providers that are not OpenAI, chosen per request with `mode=<name>` in
//! `/fake/<options>/`. Each follows its provider's documented request and answer shapes and
//! errors, and refuses what that provider refuses, so a client that speaks the dialect wrongly
//! fails here as it would there:
//!
//! - `azure` (classic Azure OpenAI): only `…/openai/deployments/{deployment}/images/{generations|edits}`,
//!   `…/openai/responses` and `…/openai/models`, each with `?api-version=`; the key in `api-key`
//!   (Bearer is refused with 401, a missing `api-version` with 400, any other path, such as an
//!   edit without the deployment, with 404 "Resource not found"); the Responses image tool needs
//!   the `x-ms-oai-image-generation-deployment` header (else a bare 400).
//! - `gemini` (Google's OpenAI-compatible base): `POST …/images/generations` with only `model`,
//!   `prompt`, `n`, `size`, `response_format` (`b64_json`); any other field is a 400
//!   `INVALID_ARGUMENT` `Unknown name "<field>": Cannot find field.`; no edits, no Responses.
//! - `chat` (OpenRouter): no Images API; `POST …/chat/completions` with `modalities` naming
//!   `image` answers only `choices[0].message.images[].image_url.url` data URLs (streamed:
//!   `choices[0].delta.images`, then `data: [DONE]`); `GET …/models` marks image models in
//!   `architecture.output_modalities`. `image_config` takes only `aspect_ratio` (one of Gemini's
//!   ten) and `image_size` (`1K`, `2K`, `4K`); anything else there is a 400.
//! - `xai`: `POST …/images/generations` only (no edits here, nor Responses); `size`, `quality`
//!   and `style` are refused with 400 `Argument not supported: <field>`; `aspect_ratio` one of
//!   xAI's (1:1 … 20:9, or auto), `resolution` `1k` or `2k`, `n` 1–10, `response_format` `url` or
//!   `b64_json`; answers OpenAI's `data[]` shape.
//! - `siliconflow`: `POST …/images/generations` with its own fields only (`size` and any other
//!   unknown field refused with `{ code: 20015, message, data }`), `image_size` "WxH" required,
//!   `batch_size` 1–4; answers `{ images: [{ url }], timings, seed }` whose links expire
//!   (`url-ttl=<ms>`, default an hour; an expired link answers 403); with `image-bytes` the
//!   link carries `bytes=<n>` and its file is padded to that size.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;

use crate::http::{self, Request};
use crate::{b64, image, urlencode, Config};

/// A strict provider mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Azure OpenAI, classic deployment paths.
    Azure,
    /// Google Gemini's OpenAI-compatible base.
    Gemini,
    /// Chat completions with image output (OpenRouter).
    Chat,
    /// SiliconFlow's image API.
    SiliconFlow,
    /// xAI's image API (`aspect_ratio`, `resolution`; no `size`).
    Xai,
}

impl Mode {
    /// `azure`, `gemini`, `chat`, `siliconflow` or `xai`.
    pub fn parse(name: &str) -> Option<Mode> {
        Some(match name {
            "azure" => Mode::Azure,
            "gemini" => Mode::Gemini,
            "chat" => Mode::Chat,
            "siliconflow" => Mode::SiliconFlow,
            "xai" => Mode::Xai,
            _ => return None,
        })
    }
}

/// What a mode makes of a request.
pub enum Admitted {
    /// Answer this, as JSON.
    Answer(u16, Value),
    /// Serve it as the OpenAI route at this path (its answer shape is the provider's too).
    AsOpenAi(String),
    /// A chat completion, streamed when asked.
    Chat {
        /// The request body.
        body: Value,
        /// `stream: true` was asked.
        stream: bool,
    },
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn json_body(request: &Request) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn query_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.query.as_deref()?.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')).filter(|v| !v.is_empty())
}

/// Checks the request against the mode (the key the server expects is `config.api_key`).
pub fn admit(mode: Mode, request: &Request, path: &str, config: &Config, origin: &str) -> Admitted {
    match mode {
        Mode::Azure => azure(request, path, config.api_key.as_deref()),
        Mode::Gemini => gemini(request, path, config.image_bytes),
        Mode::Chat => chat(request, path),
        Mode::SiliconFlow => siliconflow(request, path, origin, config.url_ttl.unwrap_or(Duration::from_secs(3600)), config.image_bytes),
        Mode::Xai => xai(request, path),
    }
}

// ---- Azure ----------------------------------------------------------------------------------

fn azure_error(status: u16, code: &str, message: &str) -> Admitted {
    Admitted::Answer(status, json!({ "error": { "code": code, "message": message } }))
}

fn azure(request: &Request, path: &str, api_key: Option<&str>) -> Admitted {
    const DENIED: &str = "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";
    if request.header("authorization").is_some() {
        return azure_error(401, "401", DENIED);
    }
    match (request.header("api-key"), api_key) {
        (None, _) => return azure_error(401, "401", DENIED),
        (Some(given), Some(expected)) if given != expected => return azure_error(401, "401", DENIED),
        _ => {}
    }
    if query_value(request, "api-version").is_none() {
        return azure_error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    let tail = path.find("/openai/").map(|at| &path[at + "/openai/".len()..]).unwrap_or_default();
    let segments: Vec<&str> = tail.split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("POST", ["deployments", deployment, "images", op @ ("generations" | "edits")]) if !deployment.is_empty() => {
            Admitted::AsOpenAi(format!("/v1/images/{op}"))
        }
        ("POST", ["responses"]) => {
            let wants_tool = json_body(request)
                .and_then(|b| b.get("tools").cloned())
                .and_then(|t| t.as_array().cloned())
                .is_some_and(|tools| tools.iter().any(|t| t["type"] == "image_generation"));
            if wants_tool && request.header("x-ms-oai-image-generation-deployment").is_none_or(str::is_empty) {
                return azure_error(400, "invalid_request_error", "Invalid request.");
            }
            Admitted::AsOpenAi("/v1/responses".into())
        }
        ("GET", ["models"]) => Admitted::Answer(200, json!({ "object": "list", "data": [
            { "id": "gpt-image-1", "object": "model", "capabilities": { "image_generation": true, "chat_completion": false } },
            { "id": "gpt-4.1", "object": "model", "capabilities": { "image_generation": false, "chat_completion": true } }
        ] })),
        _ => azure_error(404, "404", "Resource not found"),
    }
}

// ---- Gemini ---------------------------------------------------------------------------------

fn gemini_error(status: u16, message: &str) -> Admitted {
    let kind = if status == 404 { "NOT_FOUND" } else { "INVALID_ARGUMENT" };
    Admitted::Answer(status, json!({ "error": { "code": status, "message": message, "status": kind } }))
}

fn gemini(request: &Request, path: &str, image_bytes: Option<usize>) -> Admitted {
    const FIELDS: [&str; 5] = ["model", "prompt", "n", "size", "response_format"];
    match request.method.as_str() {
        "GET" if path.ends_with("/models") => {
            return Admitted::Answer(200, json!({ "object": "list", "data": [
                { "id": "models/imagen-4.0-generate-001", "object": "model", "owned_by": "google" },
                { "id": "models/gemini-2.5-flash", "object": "model", "owned_by": "google" }
            ] }));
        }
        "POST" if path.ends_with("/images/generations") => {}
        _ => return gemini_error(404, &format!("Method not found: {} {path}.", request.method)),
    }
    let Some(body) = json_body(request) else { return gemini_error(400, "Invalid JSON payload received.") };
    if let Some(unknown) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return gemini_error(400, &format!("Invalid JSON payload received. Unknown name \"{unknown}\": Cannot find field."));
    }
    if body.get("response_format").is_some_and(|f| f != "b64_json") {
        return gemini_error(400, "Only b64_json is supported for response_format.");
    }
    let Some(prompt) = body.get("prompt").and_then(Value::as_str).filter(|p| !p.is_empty()) else {
        return gemini_error(400, "prompt is required.");
    };
    let n = body.get("n").and_then(Value::as_u64).unwrap_or(1).clamp(1, 4);
    let data: Vec<Value> = (0..n).map(|i| json!({ "b64_json": b64(&image::png_for(&format!("{prompt}#{i}"), image_bytes)) })).collect();
    Admitted::Answer(200, json!({ "created": 1_700_000_000u64, "data": data }))
}

// ---- chat completions (OpenRouter) ----------------------------------------------------------

fn chat_error(status: u16, message: &str) -> Admitted {
    Admitted::Answer(status, json!({ "error": { "code": status, "message": message } }))
}

fn chat(request: &Request, path: &str) -> Admitted {
    match request.method.as_str() {
        "GET" if path.ends_with("/models") => {
            return Admitted::Answer(200, json!({ "data": [
                { "id": "google/gemini-2.5-flash-image", "architecture": { "input_modalities": ["text", "image"], "output_modalities": ["image", "text"] } },
                { "id": "openai/gpt-4.1", "architecture": { "input_modalities": ["text", "image"], "output_modalities": ["text"] } }
            ] }));
        }
        "POST" if path.ends_with("/chat/completions") => {}
        _ => return chat_error(404, "Not Found"),
    }
    let Some(body) = json_body(request) else { return chat_error(400, "Invalid JSON body.") };
    if body.get("model").and_then(Value::as_str).is_none_or(str::is_empty) {
        return chat_error(400, "No model provided.");
    }
    let Some(messages) = body.get("messages").and_then(Value::as_array).filter(|m| !m.is_empty()) else {
        return chat_error(400, "messages is required.");
    };
    // A reference image must be a data URL or a link inside an image_url part.
    for part in messages.iter().filter_map(|m| m["content"].as_array()).flatten() {
        if part["type"] == "image_url" && !part["image_url"]["url"].as_str().is_some_and(|u| u.starts_with("data:image/")) {
            return chat_error(400, "image_url.url must be a data URL.");
        }
    }
    if let Some(config) = body.get("image_config") {
        if let Some(problem) = gemini_image_config(config) {
            return chat_error(400, &problem);
        }
    }
    let stream = body.get("stream").and_then(Value::as_bool) == Some(true);
    Admitted::Chat { body: Value::Object(body), stream }
}

/// What a Gemini image model finds wrong with `image_config`, if anything.
fn gemini_image_config(config: &Value) -> Option<String> {
    const RATIOS: [&str; 10] = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
    const SIZES: [&str; 3] = ["1K", "2K", "4K"];
    let Some(fields) = config.as_object() else { return Some("image_config must be an object.".into()) };
    for (name, value) in fields {
        let allowed: &[&str] = match name.as_str() {
            "aspect_ratio" => &RATIOS,
            "image_size" => &SIZES,
            _ => return Some(format!("image_config.{name} is not a known field.")),
        };
        if !value.as_str().is_some_and(|v| allowed.contains(&v)) {
            return Some(format!("image_config.{name} must be one of {}.", allowed.join(", ")));
        }
    }
    None
}

/// The chat answer: images only in `message.images` when `modalities` names `image`, else text.
pub fn chat_answer(body: &Value, image_bytes: Option<usize>) -> Value {
    let prompt = body["messages"][0]["content"].as_str().map(str::to_string).unwrap_or_else(|| body["messages"][0]["content"].to_string());
    let wants_image = body["modalities"].as_array().is_some_and(|m| m.iter().any(|x| x == "image"));
    let mut message = json!({ "role": "assistant", "content": "Here is your image." });
    if wants_image {
        let url = format!("data:image/png;base64,{}", b64(&image::png_for(&prompt, image_bytes)));
        message["images"] = json!([{ "type": "image_url", "image_url": { "url": url } }]);
    } else {
        message["content"] = json!("I can only describe images in words.");
    }
    json!({ "id": "gen-fake", "object": "chat.completion", "created": 1_700_000_000u64, "model": body["model"],
            "choices": [{ "index": 0, "finish_reason": "stop", "message": message }],
            "usage": { "prompt_tokens": 12, "completion_tokens": 1290, "total_tokens": 1302 } })
}

/// Streams a chat answer as `chat.completion.chunk`s: role, the images in `delta.images`, the
/// finish with `usage`, then `data: [DONE]`.
pub async fn send_chat_stream(write: &mut OwnedWriteHalf, answer: &Value, delay: Duration, request_id: &str) -> std::io::Result<()> {
    let head = http::response_head(200, &[
        ("Content-Type", "text/event-stream".into()),
        ("Transfer-Encoding", "chunked".into()),
        ("x-request-id", request_id.to_string()),
        ("Connection", "close".into()),
    ]);
    write.write_all(&head).await?;
    let message = &answer["choices"][0]["message"];
    let chunk = |delta: Value, finish: Value, usage: Option<&Value>| {
        let mut c = json!({ "id": "gen-fake", "object": "chat.completion.chunk", "created": 1_700_000_000u64, "model": answer["model"],
                            "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }] });
        if let Some(usage) = usage {
            c["usage"] = usage.clone();
        }
        format!("data: {c}\n\n")
    };
    let mut texts = vec![
        chunk(json!({ "role": "assistant", "content": "" }), Value::Null, None),
        chunk(json!({ "content": message["content"] }), Value::Null, None),
    ];
    if let Some(images) = message.get("images") {
        texts.push(chunk(json!({ "images": images }), Value::Null, None));
    }
    texts.push(chunk(json!({}), json!("stop"), Some(&answer["usage"])));
    texts.push("data: [DONE]\n\n".to_string());
    for text in texts {
        tokio::time::sleep(delay).await;
        write.write_all(format!("{:x}\r\n{text}\r\n", text.len()).as_bytes()).await?;
        write.flush().await?;
    }
    write.write_all(b"0\r\n\r\n").await?;
    write.shutdown().await
}

// ---- xAI ------------------------------------------------------------------------------------

fn xai_error(status: u16, message: &str) -> Admitted {
    Admitted::Answer(status, json!({ "code": "Client specified an invalid argument", "error": message }))
}

fn xai(request: &Request, path: &str) -> Admitted {
    const RATIOS: [&str; 14] = ["1:1", "3:4", "4:3", "9:16", "16:9", "2:3", "3:2", "9:19.5", "19.5:9", "9:20", "20:9", "1:2", "2:1", "auto"];
    const REFUSED: [&str; 3] = ["size", "quality", "style"];
    match request.method.as_str() {
        "GET" if path.ends_with("/models") => {
            return Admitted::Answer(200, json!({ "object": "list", "data": [
                { "id": "grok-imagine-image", "object": "model", "owned_by": "xai" },
                { "id": "grok-imagine-image-pro", "object": "model", "owned_by": "xai" }
            ] }));
        }
        "POST" if path.ends_with("/images/generations") => {}
        _ => return xai_error(404, &format!("No route for {} {path}.", request.method)),
    }
    let Some(body) = json_body(request) else { return xai_error(400, "Failed to deserialize the JSON body.") };
    if let Some(field) = REFUSED.iter().find(|field| body.contains_key(**field)) {
        return xai_error(400, &format!("Argument not supported: {field}"));
    }
    if body.get("aspect_ratio").is_some_and(|r| !r.as_str().is_some_and(|r| RATIOS.contains(&r))) {
        return xai_error(400, &format!("Invalid aspect_ratio; expected one of {}.", RATIOS.join(", ")));
    }
    if body.get("resolution").is_some_and(|r| !matches!(r.as_str(), Some("1k" | "2k"))) {
        return xai_error(400, "Invalid resolution; expected 1k or 2k.");
    }
    if body.get("n").is_some_and(|n| !n.as_u64().is_some_and(|n| (1..=10).contains(&n))) {
        return xai_error(400, "n must be between 1 and 10.");
    }
    if body.get("response_format").is_some_and(|f| !matches!(f.as_str(), Some("url" | "b64_json"))) {
        return xai_error(400, "response_format must be url or b64_json.");
    }
    Admitted::AsOpenAi("/v1/images/generations".into())
}

// ---- SiliconFlow ----------------------------------------------------------------------------

fn sf_error(status: u16, code: u32, message: &str) -> Admitted {
    Admitted::Answer(status, json!({ "code": code, "message": message, "data": null }))
}

fn is_wxh(size: &str) -> bool {
    size.split_once('x').is_some_and(|(w, h)| w.parse::<u32>().is_ok_and(|w| w > 0) && h.parse::<u32>().is_ok_and(|h| h > 0))
}

fn siliconflow(request: &Request, path: &str, origin: &str, url_ttl: Duration, image_bytes: Option<usize>) -> Admitted {
    const FIELDS: [&str; 12] = ["model", "prompt", "negative_prompt", "image_size", "batch_size", "seed", "num_inference_steps", "guidance_scale", "cfg", "image", "image2", "image3"];
    match request.method.as_str() {
        "GET" if path.ends_with("/models") => {
            return Admitted::Answer(200, json!({ "object": "list", "data": [
                { "id": "Kwai-Kolors/Kolors", "object": "model" }, { "id": "Qwen/Qwen-Image", "object": "model" }
            ] }));
        }
        "POST" if path.ends_with("/images/generations") => {}
        _ => return sf_error(404, 20012, "Not Found"),
    }
    let Some(body) = json_body(request) else { return sf_error(400, 20015, "Invalid JSON body.") };
    if let Some(unknown) = body.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return sf_error(400, 20015, &format!("Unknown parameter: {unknown}."));
    }
    let model = body.get("model").and_then(Value::as_str).unwrap_or_default();
    let Some(prompt) = body.get("prompt").and_then(Value::as_str).filter(|p| !p.is_empty()) else {
        return sf_error(400, 20015, "prompt is required.");
    };
    match body.get("image_size").map(|s| s.as_str().filter(|s| is_wxh(s))) {
        None if !model.contains("Qwen-Image-Edit") => return sf_error(400, 20015, "image_size is required."),
        Some(None) => return sf_error(400, 20015, "image_size must be WIDTHxHEIGHT."),
        _ => {}
    }
    let batch = match body.get("batch_size") {
        None => 1,
        Some(v) => match v.as_u64().filter(|n| (1..=4).contains(n)) {
            Some(n) => n,
            None => return sf_error(400, 20015, "batch_size must be between 1 and 4."),
        },
    };
    for name in ["image", "image2", "image3"] {
        if body.get(name).is_some_and(|v| !v.as_str().is_some_and(|u| u.starts_with("data:image/") || u.starts_with("https://"))) {
            return sf_error(400, 20015, &format!("{name} must be a data URL or an https link."));
        }
    }
    let expires = now_ms() + url_ttl.as_millis() as u64;
    // The link says how large its file is, as the options of the call that made it did.
    let bytes = image_bytes.map(|b| format!("&bytes={b}")).unwrap_or_default();
    let images: Vec<Value> = (0..batch)
        .map(|i| {
            let seed = format!("{prompt}#{i}");
            let name = format!("{:016x}", image::fnv1a(seed.as_bytes()));
            json!({ "url": format!("{origin}/files/{name}.png?seed={}&expires={expires}{bytes}", urlencode(&seed)) })
        })
        .collect();
    let seed = body.get("seed").and_then(Value::as_u64).unwrap_or(4_242_424_242);
    Admitted::Answer(200, json!({ "images": images, "timings": { "inference": 0.42 }, "seed": seed }))
}

/// Whether a file link's `expires` (ms since the epoch) has passed.
pub fn link_expired(query: Option<&str>) -> bool {
    query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .find_map(|pair| pair.strip_prefix("expires="))
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|expires| now_ms() > expires)
}
