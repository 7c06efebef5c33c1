//! Streamed answers (`stream: true`): the server-sent events of OpenAI's image API, built from
//! the same answer a plain request gets, sent chunked with a delay before each event.
//!
//! Images API: per image `partial_images` × `image_generation.partial_image` (or
//! `image_edit.…`), then `….completed` with the image (the last one carries `usage`). Responses
//! API: `response.created`, `response.image_generation_call.in_progress` / `generating`, the
//! partials (`partial_image_b64`), `….completed`, `response.output_item.done`,
//! `response.completed` with the whole response.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;

use crate::http::{self, Part, Request};
use crate::image;

/// How the stream behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every event, then the end of the body.
    Complete,
    /// The partials, then the connection closes without the final event or the body's end.
    Cut,
    /// The partials, then nothing more (the connection stays open until the client leaves).
    Hang,
    /// Every event, then the connection stays open without the body's end (until the client
    /// leaves), as servers and proxies that keep streams alive do.
    KeepOpen,
}

/// `Some(partial_images)` when the request asked for a stream (`stream: true` in JSON, or a
/// `stream` form field of `true`).
pub fn requested(request: &Request, parts: &[Part]) -> Option<u64> {
    if let Ok(body) = serde_json::from_slice::<Value>(&request.body) {
        if body.get("stream").and_then(Value::as_bool) != Some(true) {
            return None;
        }
        let partials = body
            .get("partial_images")
            .or_else(|| body.pointer("/tools/0/partial_images"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        return Some(partials.min(3));
    }
    let field = |name: &str| parts.iter().find(|p| p.name == name && p.file_name.is_none()).map(|p| String::from_utf8_lossy(&p.data).to_string());
    (field("stream").as_deref() == Some("true")).then(|| field("partial_images").and_then(|n| n.parse().ok()).unwrap_or(0).min(3))
}

fn partial_b64(seed: &str, partial: u64, image_bytes: Option<usize>) -> String {
    crate::b64(&image::png_for(&format!("{seed}~partial{partial}"), image_bytes))
}

/// The events for `answer` (the plain answer of `path`).
fn events(path: &str, answer: &Value, partials: u64, image_bytes: Option<usize>) -> (Vec<Value>, Vec<Value>) {
    let mut before = Vec::new();
    let mut finals = Vec::new();
    if path.ends_with("/responses") {
        let call = answer["output"].as_array().and_then(|o| o.iter().find(|i| i["type"] == "image_generation_call")).cloned().unwrap_or(Value::Null);
        let item_id = call["id"].clone();
        let mut seq = 0u64;
        let mut next = |mut event: Value| {
            event["sequence_number"] = json!(seq);
            seq += 1;
            event
        };
        before.push(next(json!({ "type": "response.created", "response": { "id": answer["id"], "object": "response", "status": "in_progress", "output": [] } })));
        before.push(next(json!({ "type": "response.image_generation_call.in_progress", "output_index": 0, "item_id": item_id })));
        before.push(next(json!({ "type": "response.image_generation_call.generating", "output_index": 0, "item_id": item_id })));
        for p in 0..partials {
            before.push(next(json!({ "type": "response.image_generation_call.partial_image", "output_index": 0, "item_id": item_id,
                "partial_image_index": p, "partial_image_b64": partial_b64(&item_id.to_string(), p, image_bytes) })));
        }
        finals.push(next(json!({ "type": "response.image_generation_call.completed", "output_index": 0, "item_id": item_id })));
        finals.push(next(json!({ "type": "response.output_item.done", "output_index": 0, "item": call })));
        finals.push(next(json!({ "type": "response.completed", "response": answer })));
        return (before, finals);
    }
    let kind = if path.ends_with("/images/edits") { "image_edit" } else { "image_generation" };
    let data = answer["data"].as_array().cloned().unwrap_or_default();
    let last = data.len().saturating_sub(1);
    for (i, image) in data.iter().enumerate() {
        // Each event echoes what the plain answer does.
        let mut common = json!({ "created_at": answer["created"] });
        for field in ["size", "quality", "background", "output_format"] {
            if let Some(value) = answer.get(field) {
                common[field] = value.clone();
            }
        }
        for p in 0..partials {
            let mut event = common.clone();
            event["type"] = json!(format!("{kind}.partial_image"));
            event["partial_image_index"] = json!(p);
            event["b64_json"] = json!(partial_b64(&format!("{i}{}", image["revised_prompt"]), p, image_bytes));
            before.push(event);
        }
        let mut event = common;
        event["type"] = json!(format!("{kind}.completed"));
        event["b64_json"] = image["b64_json"].clone();
        if i == last {
            event["usage"] = answer["usage"].clone();
        }
        // The completed events of all but the last image go out with the partials.
        if i == last { finals.push(event) } else { before.push(event) }
    }
    (before, finals)
}

async fn chunk(write: &mut OwnedWriteHalf, event: &Value) -> std::io::Result<()> {
    let kind = event["type"].as_str().unwrap_or("message");
    let text = format!("event: {kind}\ndata: {event}\n\n");
    write.write_all(format!("{:x}\r\n", text.len()).as_bytes()).await?;
    write.write_all(text.as_bytes()).await?;
    write.write_all(b"\r\n").await?;
    write.flush().await
}

/// Sends `answer` as an event stream; `delay` comes before each event.
pub async fn send(
    write: &mut OwnedWriteHalf,
    path: &str,
    answer: &Value,
    partials: u64,
    delay: Duration,
    ending: Ending,
    image_bytes: Option<usize>,
    request_id: &str,
) -> std::io::Result<()> {
    let head = http::response_head(200, &[
        ("Content-Type", "text/event-stream; charset=utf-8".into()),
        ("Cache-Control", "no-cache".into()),
        ("Transfer-Encoding", "chunked".into()),
        ("x-request-id", request_id.to_string()),
        ("Connection", "close".into()),
    ]);
    write.write_all(&head).await?;
    write.flush().await?;
    let (before, finals) = events(path, answer, partials, image_bytes);
    for event in &before {
        tokio::time::sleep(delay).await;
        chunk(write, event).await?;
    }
    match ending {
        Ending::Cut => return Ok(()), // dropped without the last chunk: the body is incomplete
        Ending::Hang => {
            tokio::time::sleep(Duration::from_secs(600)).await;
            return Ok(());
        }
        Ending::Complete | Ending::KeepOpen => {}
    }
    for event in &finals {
        tokio::time::sleep(delay).await;
        chunk(write, event).await?;
    }
    if ending == Ending::KeepOpen {
        tokio::time::sleep(Duration::from_secs(600)).await;
        return Ok(());
    }
    write.write_all(b"0\r\n\r\n").await?;
    write.shutdown().await
}
