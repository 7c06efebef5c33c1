//! The plugin's events reach the page: a streaming request on the fake provider emits
//! `plugin:<id>:request_progress` with a small payload, and `GET /host/events` (the long poll the
//! page's Tauri shim listens through) hands each one out as it arrives, before the final answer.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{plugin_library, Devhost, PLUGIN_ID};

#[test]
fn partial_image_events_are_relayed_under_the_wire_name_before_the_final_answer() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &[]);
    let (status, body) = host.get("/host/events");
    assert_eq!(status, 200);
    let start: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(start["events"], json!([]));
    let after = start["last"].as_u64().unwrap();

    let base = host.fake_base_url.replacen("/v1", "/fake/partial-delay=400/v1", 1);
    let (events, answered_at) = std::thread::scope(|scope| {
        let call = scope.spawn(|| {
            let answer = host.invoke_plugin(PLUGIN_ID, "generate_images", json!({
                "requestId": "ev-1", "endpoint": { "profileId": "default", "baseUrl": base }, "request": { "model": "gpt-image-1", "prompt": "p" },
                "stream": true, "partialImages": 2,
            }));
            (answer, Instant::now())
        });
        let mut events = Vec::new();
        let mut after = after;
        let deadline = Instant::now() + Duration::from_secs(30);
        while events.len() < 2 && Instant::now() < deadline {
            let (status, body) = host.get(&format!("/host/events?after={after}"));
            assert_eq!(status, 200, "{body}");
            let answer: Value = serde_json::from_str(&body).unwrap();
            for event in answer["events"].as_array().unwrap() {
                after = event["seq"].as_u64().unwrap();
                events.push((event.clone(), Instant::now()));
            }
        }
        let (answer, answered_at) = call.join().unwrap();
        let answer = answer.expect("generate_images answers");
        assert_eq!(answer["ok"], true, "{answer}");
        (events, answered_at)
    });
    assert_eq!(events.len(), 2, "{events:?}");
    let wire = format!("plugin:{PLUGIN_ID}:request_progress");
    for (i, (event, at)) in events.iter().enumerate() {
        assert_eq!(event["event"], wire.as_str());
        assert_eq!(event["payload"], json!({ "requestId": "ev-1", "seq": i + 1, "imageIndex": 0, "partialIndex": i }));
        assert!(*at < answered_at, "event {i} came only after the final answer");
    }
    let (status, _) = host.get("/host/events?after=soon");
    assert_eq!(status, 400);
}
