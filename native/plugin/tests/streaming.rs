//! Streamed partial images against the fake provider: partials reach `request_progress` and the
//! plugin event before the final image, each partial's bytes are answered once, a cut stream, a
//! stream that never ends, cancel mid-stream, the fallback for endpoints that do not stream
//! (once, then remembered), the size cap, and `usage` in every API shape.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider};
use serde_json::{json, Value};
use support::{assert_logged_once, Host, PNG_B64};

fn args(id: &str, base: &str, request: Value, extra: Value) -> Value {
    let mut args = json!({ "requestId": id, "endpoint": { "profileId": "default", "baseUrl": base }, "request": request });
    for (key, value) in extra.as_object().unwrap() {
        args[key] = value.clone();
    }
    args
}

fn on_thread(host: &Arc<Host>, command: &'static str, args: Value) -> std::thread::JoinHandle<(Value, Instant)> {
    let host = host.clone();
    std::thread::spawn(move || {
        let answer = host.invoke(command, args).expect("well-formed call");
        (answer, Instant::now())
    })
}

/// Polls `request_progress` until the call ends; returns every partial with the time it came.
fn poll_partials(host: &Host, id: &str, call: &std::thread::JoinHandle<(Value, Instant)>) -> Vec<(Value, Instant)> {
    let mut after = 0u64;
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let finished = call.is_finished();
        let progress = host.invoke("request_progress", json!({ "requestId": id, "after": after })).unwrap();
        for partial in progress["partials"].as_array().unwrap() {
            after = after.max(partial["seq"].as_u64().unwrap());
            seen.push((partial.clone(), Instant::now()));
        }
        if finished || Instant::now() > deadline {
            return seen;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn generate(request: Value) -> Value {
    let mut request = request;
    request["model"] = json!("gpt-image-1");
    request
}

#[test]
fn partials_arrive_before_the_final_image_once_each_and_as_plugin_events() {
    let provider = FakeProvider::start(Config::default());
    let host = Arc::new(Host::load());
    let base = provider.base_url_with("partial-delay=250");
    let call = on_thread(&host, "generate_images", args("s-1", &base, generate(json!({ "prompt": "a fox", "n": 2 })), json!({ "stream": true, "partialImages": 2 })));
    let partials = poll_partials(&host, "s-1", &call);
    let (answer, ended_at) = call.join().unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(answer.get("streamFallback").is_none(), "{answer}");
    assert_eq!(answer["result"]["data"].as_array().unwrap().len(), 2);

    assert!(!partials.is_empty(), "no partial reached the poll");
    assert!(partials[0].1 < ended_at, "the first partial came only with the final answer");
    let seqs: Vec<u64> = partials.iter().map(|(p, _)| p["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let bytes: HashSet<&str> = partials.iter().map(|(p, _)| p["b64_json"].as_str().unwrap()).collect();
    assert_eq!(bytes.len(), partials.len(), "a partial's bytes came twice");
    for (partial, _) in &partials {
        assert!(partial["imageIndex"].as_u64().unwrap() < 2 && partial["partialIndex"].as_u64().unwrap() < 2, "{partial}");
        assert_eq!(partial["outputFormat"], "png");
    }
    let finals: HashSet<&str> = answer["result"]["data"].as_array().unwrap().iter().map(|d| d["b64_json"].as_str().unwrap()).collect();
    assert!(bytes.is_disjoint(&finals), "a partial is not a preview");

    // Two images × two partials: four plugin events, small payloads without bytes.
    let events = host.ctx.events.emitted.lock().unwrap().clone();
    assert_eq!(events.len(), 4, "{events:?}");
    for (i, (name, payload)) in events.iter().enumerate() {
        assert_eq!(name, "request_progress");
        assert_eq!(payload["requestId"], "s-1");
        assert_eq!(payload["seq"], i as u64 + 1);
        assert!(payload.to_string().len() < 120, "{payload}");
    }
    // Nothing is kept once the request ended and its partials were fetched.
    let after = host.invoke("request_progress", json!({ "requestId": "s-1" })).unwrap();
    assert_eq!(after, json!({ "ok": true, "requestId": "s-1", "state": "unknown", "lastSeq": 0, "partials": [] }));
    let lines = assert_logged_once(&host.ctx, "s-1", "succeeded");
    assert!(lines[0].contains("stream=true") && lines[1].contains("output_tokens=100"), "{lines:#?}");
    assert!(!lines.concat().contains(PNG_B64) && !lines.concat().contains("iVBOR"), "{lines:#?}");
}

#[test]
fn the_request_carries_stream_and_partial_images_for_generations_edits_and_responses() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let stream = json!({ "stream": true, "partialImages": 3 });
    let answer = host.invoke("generate_images", args("w-1", &provider.base_url(), generate(json!({ "prompt": "p" })), stream.clone())).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    let edit = json!({ "prompt": "p", "images": [{ "file_name": "a.png", "b64_json": PNG_B64 }] });
    let answer = host.invoke("edit_images", args("w-2", &provider.base_url(), edit, stream.clone())).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    let answer = host.invoke("generate_via_responses", args("w-3", &provider.base_url(), json!({ "model": "gpt-4.1", "prompt": "p", "n": 2 }), stream)).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["result"]["data"].as_array().unwrap().len(), 2);

    let recorded = provider.recorded();
    let generation: Value = serde_json::from_slice(&recorded[0].request.body).unwrap();
    assert_eq!((generation["stream"].clone(), generation["partial_images"].clone()), (json!(true), json!(3)));
    let field = |name: &str| recorded[1].parts.iter().find(|p| p.name == name).map(|p| String::from_utf8_lossy(&p.data).to_string());
    assert_eq!((field("stream").as_deref(), field("partial_images").as_deref()), (Some("true"), Some("3")));
    let responses: Value = serde_json::from_slice(&recorded[2].request.body).unwrap();
    assert_eq!((responses["stream"].clone(), responses["tools"][0]["partial_images"].clone()), (json!(true), json!(3)));

    // Edits: 3 partials of one image; Responses: 3 partials for each of two parallel calls.
    let events = host.ctx.events.emitted.lock().unwrap().clone();
    let of = |id: &str| events.iter().filter(|(_, p)| p["requestId"] == id).map(|(_, p)| p.clone()).collect::<Vec<_>>();
    assert_eq!(of("w-1").len(), 3);
    assert_eq!(of("w-2").len(), 3);
    let images: HashSet<u64> = of("w-3").iter().map(|p| p["imageIndex"].as_u64().unwrap()).collect();
    assert_eq!((of("w-3").len(), images), (6, HashSet::from([0, 1])));
}

#[test]
fn a_stream_cut_mid_way_is_a_network_error_that_may_have_run() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let answer = host.invoke("generate_images", args("cut-1", &provider.base_url_with("fault=stream-cut"), generate(json!({ "prompt": "p" })), json!({ "stream": true, "partialImages": 1 }))).unwrap();
    assert_eq!(answer["ok"], false, "{answer}");
    assert_eq!(answer["error"]["code"], "network");
    assert!(answer["error"]["message"].as_str().unwrap().contains("may have run"), "{answer}");
    assert_eq!(answer["error"]["status"], 200);
    assert_logged_once(&host.ctx, "cut-1", "failed");
}

#[test]
fn a_stream_that_never_completes_ends_at_the_time_limit() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let started = Instant::now();
    let extra = json!({ "stream": true, "partialImages": 2, "timeoutMs": 1200 });
    let answer = host.invoke("generate_images", args("hang-1", &provider.base_url_with("fault=stream-hang"), generate(json!({ "prompt": "p" })), extra)).unwrap();
    let took = started.elapsed();
    assert_eq!(answer["error"]["code"], "timeout", "{answer}");
    assert!(took >= Duration::from_millis(1200) && took < Duration::from_secs(4), "{took:?}");
}

#[test]
fn cancel_mid_stream_ends_the_request_at_once_and_keeps_the_partials_fetchable() {
    let provider = FakeProvider::start(Config::default());
    let host = Arc::new(Host::load());
    let extra = json!({ "stream": true, "partialImages": 2 });
    let call = on_thread(&host, "generate_images", args("c-1", &provider.base_url_with("fault=stream-hang"), generate(json!({ "prompt": "p" })), extra));
    let deadline = Instant::now() + Duration::from_secs(10);
    while host.ctx.events.emitted.lock().unwrap().len() < 2 {
        assert!(Instant::now() < deadline, "no partial arrived");
        std::thread::sleep(Duration::from_millis(10));
    }
    let cancelled_at = Instant::now();
    assert_eq!(host.invoke("cancel_request", json!({ "requestId": "c-1" })).unwrap()["cancelled"], true);
    let (answer, ended) = call.join().unwrap();
    assert!(ended - cancelled_at < Duration::from_millis(500), "cancel took {:?}", ended - cancelled_at);
    assert_eq!(answer["error"]["code"], "cancelled");
    // The newest partial of the image stays fetchable once (the panel shows it as the cancelled preview).
    let progress = host.invoke("request_progress", json!({ "requestId": "c-1" })).unwrap();
    assert_eq!((progress["state"].as_str(), progress["partials"].as_array().unwrap().len()), (Some("ended"), 1), "{progress}");
    assert_eq!(progress["partials"][0]["partialIndex"], 1);
    assert_eq!(host.invoke("request_progress", json!({ "requestId": "c-1" })).unwrap()["state"], "unknown");
    assert_logged_once(&host.ctx, "c-1", "cancelled");
}

fn streamed(recorded: &fake_provider::Recorded) -> bool {
    serde_json::from_slice::<Value>(&recorded.request.body).is_ok_and(|body| body.get("stream").is_some())
}

#[test]
fn a_plain_json_answer_is_used_once_and_the_endpoint_remembered() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let base = provider.base_url_with("fault=no-stream");
    let extra = json!({ "stream": true, "partialImages": 1 });
    let first = host.invoke("generate_images", args("f-1", &base, generate(json!({ "prompt": "p" })), extra.clone())).unwrap();
    assert_eq!((first["ok"].clone(), first["streamFallback"].clone(), first["streamFallbackReason"].clone()), (json!(true), json!(true), json!("plain_answer")), "{first}");
    assert_eq!(provider.recorded().len(), 1, "a plain answer is not asked for twice (it would be billed twice)");
    let second = host.invoke("generate_images", args("f-2", &base, generate(json!({ "prompt": "p" })), extra)).unwrap();
    assert_eq!(second["streamFallbackReason"], "remembered", "{second}");
    let recorded = provider.recorded();
    assert_eq!(recorded.len(), 2);
    assert!(streamed(&recorded[0]) && !streamed(&recorded[1]));
    let lines = assert_logged_once(&host.ctx, "f-2", "succeeded");
    assert!(lines[1].contains("stream_fallback=remembered"), "{lines:#?}");
}

#[test]
fn a_refused_stream_falls_back_to_one_plain_call_and_is_remembered_per_base_url() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let base = provider.base_url_with("fault=stream-refused");
    let extra = json!({ "stream": true, "partialImages": 1 });
    let first = host.invoke("generate_images", args("r-1", &base, generate(json!({ "prompt": "p" })), extra.clone())).unwrap();
    assert_eq!((first["ok"].clone(), first["streamFallbackReason"].clone()), (json!(true), json!("refused")), "{first}");
    let recorded = provider.recorded();
    assert_eq!(recorded.len(), 2);
    assert!(streamed(&recorded[0]) && !streamed(&recorded[1]), "one streaming, then one plain request");
    let second = host.invoke("generate_images", args("r-2", &base, generate(json!({ "prompt": "p" })), extra.clone())).unwrap();
    assert_eq!(second["streamFallbackReason"], "remembered");
    assert_eq!(provider.recorded().len(), 3);
    // Another base URL on the same server still streams.
    let other = host.invoke("generate_images", args("r-3", &provider.base_url(), generate(json!({ "prompt": "p" })), extra)).unwrap();
    assert!(other.get("streamFallback").is_none(), "{other}");
}

#[test]
fn a_refusal_for_another_reason_is_not_retried_or_remembered() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let base = provider.base_url_with("fault=401");
    let answer = host.invoke("generate_images", args("u-1", &base, generate(json!({ "prompt": "p" })), json!({ "stream": true }))).unwrap();
    assert_eq!(answer["error"]["code"], "unauthorized", "{answer}");
    assert_eq!(provider.recorded().len(), 1);
}

#[test]
fn the_size_cap_holds_while_streaming() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let extra = json!({ "stream": true, "partialImages": 3, "maxResponseBytes": 200_000 });
    let answer = host.invoke("generate_images", args("big-1", &provider.base_url_with("image-bytes=100000"), generate(json!({ "prompt": "p" })), extra)).unwrap();
    assert_eq!(answer["error"]["code"], "payload_too_large", "{answer}");
}

#[test]
fn stream_options_are_validated() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    for (extra, needle) in [
        (json!({ "stream": true, "partialImages": 4 }), "1, 2 or 3"),
        (json!({ "stream": true, "partialImages": 0 }), "1, 2 or 3"),
        (json!({ "partialImages": 2 }), "stream: true"),
    ] {
        let answer = host.invoke("generate_images", args("v-1", &provider.base_url(), generate(json!({ "prompt": "p" })), extra)).unwrap();
        assert_eq!(answer["error"]["code"], "invalid_request", "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains(needle), "{answer}");
    }
    assert!(host.invoke("generate_images", args("v-2", &provider.base_url(), generate(json!({ "prompt": "p" })), json!({ "stream": "yes" }))).is_err());
    assert!(host.invoke("request_progress", json!({ "requestId": "x", "after": -1 })).is_err());
    assert!(provider.recorded().is_empty());
}

#[test]
fn usage_is_read_from_each_api_shape_plain_and_streamed() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let images_usage = json!({ "input_tokens": 100, "output_tokens": 50, "total_tokens": 150, "input_tokens_details": { "text_tokens": 100, "image_tokens": 0 } });
    for (i, extra) in [json!({}), json!({ "stream": true })].into_iter().enumerate() {
        let answer = host.invoke("generate_images", args(&format!("g-{i}"), &provider.base_url(), generate(json!({ "prompt": "p" })), extra)).unwrap();
        assert_eq!(answer["result"]["usage"], images_usage, "{answer}");
    }
    let edit = json!({ "prompt": "p", "images": [{ "file_name": "a.png", "b64_json": PNG_B64 }] });
    let answer = host.invoke("edit_images", args("e-1", &provider.base_url(), edit, json!({}))).unwrap();
    assert_eq!(answer["result"]["usage"]["input_tokens_details"]["image_tokens"], 10, "{answer}");
    // Two parallel Responses calls: their usage adds up.
    for (i, extra) in [json!({}), json!({ "stream": true })].into_iter().enumerate() {
        let answer = host.invoke("generate_via_responses", args(&format!("rs-{i}"), &provider.base_url(), json!({ "model": "gpt-4.1", "prompt": "p", "n": 2 }), extra)).unwrap();
        assert_eq!(answer["result"]["usage"], json!({ "input_tokens": 60, "output_tokens": 140, "total_tokens": 200,
            "input_tokens_details": { "cached_tokens": 0 }, "output_tokens_details": { "reasoning_tokens": 0 } }), "{answer}");
    }
}
