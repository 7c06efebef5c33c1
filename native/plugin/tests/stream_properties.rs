//! Properties of the server-sent event reader and of streamed answers: arbitrary bytes and
//! arbitrary UTF-8, cut into chunks at arbitrary points, never panic; valid event text gives the
//! same events however it is cut; and a streamed answer of arbitrary provider-shaped events,
//! cut anywhere, ends in a valid answer or a typed error (never `internal`), with no partial's
//! bytes handed out twice.

mod support;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use managed_image_gateway::{
    BoxFuture, ChunkSource, InboundResponse, ManagedImageGateway, OutboundRequest, SseError, SseEvent, SseReader, StreamingResponse, Transport,
    TransportFailure,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use support::{Host, PNG_B64};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Cuts `bytes` at the given points (taken modulo its length).
fn cut(bytes: &[u8], points: &[usize]) -> Vec<Vec<u8>> {
    let mut at: Vec<usize> = points.iter().map(|p| if bytes.is_empty() { 0 } else { p % (bytes.len() + 1) }).collect();
    at.push(0);
    at.push(bytes.len());
    at.sort_unstable();
    at.dedup();
    at.windows(2).map(|w| bytes[w[0]..w[1]].to_vec()).collect()
}

fn read(chunks: &[Vec<u8>]) -> Result<Vec<SseEvent>, SseError> {
    let mut reader = SseReader::default();
    let mut out = Vec::new();
    for chunk in chunks {
        reader.feed(chunk, &mut out)?;
    }
    Ok(out)
}

proptest! {
    #![proptest_config(config(10_000))]

    #[test]
    fn arbitrary_bytes_in_arbitrary_chunks_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), points in prop::collection::vec(any::<usize>(), 0..8)) {
        let whole = read(&[bytes.clone()]);
        let chunked = read(&cut(&bytes, &points));
        // How the bytes are cut changes nothing: the same events, or the same error.
        prop_assert_eq!(whole, chunked);
    }

    #[test]
    fn event_text_gives_the_same_events_however_it_is_cut(
        events in prop::collection::vec((prop::option::of("[a-z._]{1,12}"), prop::collection::vec("[^\r\n]{0,20}", 1..4)), 0..6),
        ending in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        points in prop::collection::vec(any::<usize>(), 0..10),
    ) {
        let mut text = String::new();
        let mut expected = Vec::new();
        for (name, lines) in &events {
            if let Some(name) = name {
                text.push_str(&format!("event: {name}{ending}"));
            }
            text.push_str(&format!(": a comment{ending}"));
            for line in lines {
                text.push_str(&format!("data: {line}{ending}"));
            }
            text.push_str(ending);
            // A value's own leading space would be eaten by the one after the colon: the
            // generated lines are kept as they are written.
            let data = lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join("\n");
            expected.push(SseEvent { event: name.clone(), data });
        }
        let got = read(&cut(text.as_bytes(), &points)).unwrap();
        prop_assert_eq!(got, expected);
    }
}

/// Hands out a scripted streamed answer, chunk by chunk.
#[derive(Default)]
struct Scripted {
    next: Mutex<Option<(u16, String, Vec<Vec<u8>>)>>,
}

struct Chunks(std::vec::IntoIter<Vec<u8>>);

impl ChunkSource for Chunks {
    fn next_chunk(&mut self) -> BoxFuture<'_, Result<Option<Vec<u8>>, TransportFailure>> {
        let next = self.0.next();
        Box::pin(async move { Ok(next) })
    }
}

impl Transport for Scripted {
    fn send(&self, _request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        let body = br#"{"data":[{"b64_json":"iVBORw0K"}]}"#.to_vec();
        Box::pin(async move { Ok(InboundResponse { status: 200, headers: vec![("content-type".into(), "application/json".into())], body }) })
    }

    fn send_streaming(&self, _request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<StreamingResponse, TransportFailure>> {
        let (status, content_type, chunks) = self.next.lock().unwrap().take().unwrap_or((200, "text/event-stream".into(), Vec::new()));
        Box::pin(async move { Ok(StreamingResponse { status, headers: vec![("content-type".into(), content_type)], body: Box::new(Chunks(chunks.into_iter())) }) })
    }
}

/// One provider-shaped event of either API, with fields that may be missing or wrong.
fn event() -> BoxedStrategy<Value> {
    let b64 = prop_oneof![Just(json!(PNG_B64)), Just(json!("not base64!")), Just(json!(7)), Just(Value::Null), "[A-Za-z0-9+/]{4,16}".prop_map(Value::from)];
    let kind = prop::sample::select(vec![
        "image_generation.partial_image", "image_generation.completed", "image_edit.partial_image", "image_edit.completed",
        "response.image_generation_call.partial_image", "response.completed", "response.failed", "error", "something.else",
    ]);
    let index = prop_oneof![Just(json!(0)), Just(json!(2)), Just(json!(-1)), Just(json!("1")), Just(json!(u64::MAX))];
    let usage = prop_oneof![Just(json!({ "input_tokens": 1, "output_tokens": 2, "total_tokens": 3 })), Just(json!("lots")), Just(Value::Null)];
    (kind, b64, index, usage)
        .prop_map(|(kind, b64, index, usage)| {
            json!({ "type": kind, "b64_json": b64, "partial_image_b64": b64, "partial_image_index": index, "output_index": index, "usage": usage,
                    "response": { "output": [{ "type": "image_generation_call", "status": "completed", "result": b64 }], "usage": usage },
                    "error": { "message": "provider says no" } })
        })
        .boxed()
}

#[test]
fn streamed_answers_cut_anywhere_end_in_an_answer_or_a_typed_error() {
    let transport = Arc::new(Scripted::default());
    let host = Host::load_plugin(ManagedImageGateway::with_transport(transport.clone()));
    let command = prop::sample::select(vec!["generate_images", "generate_via_responses"]);
    let body = prop_oneof![
        3 => prop::collection::vec(event(), 0..6).prop_map(|events| events.iter().map(|e| format!("data: {e}\n\n")).collect::<String>().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ];
    let content_type = prop_oneof![4 => Just("text/event-stream".to_string()), 1 => Just("application/json".to_string())];
    let status = prop_oneof![4 => Just(200u16), 1 => 100u16..600];
    let points = prop::collection::vec(any::<usize>(), 0..8);
    let next_id = std::sync::atomic::AtomicU64::new(0);
    let (succeeded, partials) = (std::sync::atomic::AtomicU64::new(0), std::sync::atomic::AtomicU64::new(0));
    proptest!(config(2_000), |(command in command, body in body, content_type in content_type, status in status, points in points)| {
        let id = next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let request_id = format!("p-{id}");
        *transport.next.lock().unwrap() = Some((status, content_type, cut(&body, &points)));
        // A new base URL each case, so no case is answered plain because an earlier one fell back.
        let args = json!({ "requestId": request_id, "endpoint": { "profileId": "default", "baseUrl": format!("https://e{id}.example.com/v1") },
                           "request": { "model": "m", "prompt": "p" }, "stream": true, "partialImages": 3 });
        let answer = host.invoke(command, args).unwrap();
        prop_assert_ne!(&answer["error"]["code"], &json!("internal"), "{}", answer);
        if answer["ok"] == true {
            succeeded.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            prop_assert!(!answer["result"]["data"].as_array().unwrap().is_empty());
        } else {
            prop_assert!(answer["error"]["code"].is_string() && answer["error"]["message"].is_string(), "{}", answer);
        }
        let progress = host.invoke("request_progress", json!({ "requestId": request_id })).unwrap();
        let seen: Vec<u64> = progress["partials"].as_array().unwrap().iter().map(|p| p["seq"].as_u64().unwrap()).collect();
        partials.fetch_add(seen.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let again = host.invoke("request_progress", json!({ "requestId": request_id })).unwrap();
        prop_assert!(again["partials"].as_array().unwrap().is_empty(), "bytes twice: {} after {:?}", again, seen);
        prop_assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len());
    });
    // The generators reach both ends: some streams succeed, some partials are handed out.
    assert!(succeeded.into_inner() > 20 && partials.into_inner() > 20);
}
