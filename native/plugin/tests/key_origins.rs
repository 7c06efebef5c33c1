//! Keys bound to origins, against two fake providers on 127.0.0.1 (two ports: two origins): a key
//! saved for one never reaches the other whatever a caller passes; extra headers cannot carry a
//! credential; a relay that gives up is a gateway timeout that may have run; a stream whose
//! server keeps the connection open after its final event still ends with its images.

mod support;

use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider};
use serde_json::{json, Value};
use support::{assert_logged_once, Host};

const KEY: &str = "sk-origin-bound-0123456789SECRET";

fn call(profile: &str, base: &str, id: &str) -> Value {
    json!({ "requestId": id, "endpoint": { "profileId": profile, "baseUrl": base, "dialect": "images", "auth": "bearer" }, "request": { "model": "gpt-image-1", "prompt": "a fox" } })
}

fn error_code(answer: &Value) -> &str {
    assert_eq!(answer["ok"], false, "{answer}");
    answer["error"]["code"].as_str().unwrap()
}

/// Whether any request `provider` received carried the key, in any header.
fn received_the_key(provider: &FakeProvider) -> bool {
    provider.recorded().iter().any(|call| call.request.headers.values().any(|value| value.contains(KEY)))
}

#[test]
fn a_key_saved_for_one_origin_is_sent_there_and_a_call_to_another_is_refused_before_sending() {
    let (a, b) = (FakeProvider::start(Config { api_key: Some(KEY.into()), ..Config::default() }), FakeProvider::start(Config::default()));
    let host = Host::load();
    let saved = host.invoke("set_api_key", json!({ "profileId": "work", "baseUrl": a.base_url(), "apiKey": KEY })).unwrap();
    assert_eq!(saved, json!({ "ok": true, "apiKeySet": true, "storage": "file" }));

    let sent = host.invoke("generate_images", call("work", &a.base_url(), "to-a")).unwrap();
    assert_eq!(sent["ok"], true, "{sent}");
    assert!(received_the_key(&a));

    // The same profile aimed at another origin, by any command, with the path or options changed:
    // refused, nothing sent.
    for (command, args) in [
        ("generate_images", call("work", &b.base_url(), "to-b-1")),
        ("generate_images", call("work", &b.base_url_with("latency=1"), "to-b-2")),
        ("generate_via_responses", json!({ "requestId": "to-b-3", "endpoint": { "profileId": "work", "baseUrl": b.origin(), "dialect": "responses", "auth": "bearer" }, "request": { "model": "gpt-4.1", "prompt": "p" } })),
        ("test_connection", json!({ "requestId": "to-b-4", "endpoint": { "profileId": "work", "baseUrl": b.base_url(), "dialect": "images", "auth": "bearer" } })),
        ("generate_images", call("work", &a.base_url().replace("127.0.0.1", "localhost"), "to-b-5")),
        ("list_models", json!({ "requestId": "to-b-6", "endpoint": { "profileId": "work", "baseUrl": b.base_url(), "dialect": "images", "auth": "bearer" } })),
        ("edit_images", json!({ "requestId": "to-b-7", "endpoint": { "profileId": "work", "baseUrl": b.base_url(), "dialect": "azure", "auth": "api-key", "deployment": "d", "apiVersion": "2025-04-01-preview" },
            "request": { "prompt": "p", "images": [{ "file_name": "a.png", "b64_json": support::PNG_B64 }] } })),
    ] {
        let refused = host.invoke(command, args).unwrap();
        assert_eq!(error_code(&refused), "key_origin_mismatch", "{command}: {refused}");
        assert_eq!((refused["error"]["sent"].as_bool(), refused["error"]["may_have_run"].as_bool()), (Some(false), Some(false)));
        assert!(!refused.to_string().contains(&a.origin()), "the saved origin is never told: {refused}");
    }
    assert!(b.recorded().is_empty(), "nothing reached the other origin");
    assert_logged_once(&host.ctx, "to-b-1", "failed");

    // The same profile set to send no key (`auth: "none"`) may call any origin: no key goes.
    let mut keyless = call("work", &b.base_url(), "no-auth");
    keyless["endpoint"]["auth"] = json!("none");
    assert_eq!(host.invoke("generate_images", keyless).unwrap()["ok"], true);
    assert!(!received_the_key(&b));
    assert!(b.recorded()[0].request.header("authorization").is_none());

    // A profile without a key goes out without one, as before.
    let anonymous = host.invoke("generate_images", call("other", &b.base_url(), "anon")).unwrap();
    assert_eq!(anonymous["ok"], true, "{anonymous}");
    assert!(!received_the_key(&b));
    assert!(b.recorded()[1].request.header("authorization").is_none());

    // Saving the key again for the new origin moves it there, and the old one is refused.
    host.invoke("set_api_key", json!({ "profileId": "work", "baseUrl": b.base_url(), "apiKey": KEY })).unwrap();
    assert_eq!(host.invoke("generate_images", call("work", &b.base_url(), "moved")).unwrap()["ok"], true);
    assert!(received_the_key(&b));
    let before = a.recorded().len();
    assert_eq!(error_code(&host.invoke("generate_images", call("work", &a.base_url(), "old")).unwrap()), "key_origin_mismatch");
    assert_eq!(a.recorded().len(), before);
    let everything = format!("{:?}", host.ctx.log_lines());
    assert!(!everything.contains(KEY), "{everything}");
}

#[test]
fn extra_headers_never_carry_a_credential_and_nothing_is_sent() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    host.invoke("set_api_key", json!({ "profileId": "work", "baseUrl": "https://elsewhere.example/v1", "apiKey": KEY })).unwrap();
    for (id, name, value) in [
        ("h-1", "Authorization", "Bearer anything"),
        ("h-2", "api-key", "anything"),
        ("h-3", "X-Goog-Api-Key", "anything"),
        ("h-4", "cookie", "session=1"),
        ("h-5", "X-Trace", KEY),
    ] {
        let mut args = call("mine", &provider.base_url(), id);
        args["endpoint"]["extraHeaders"] = json!({ name: value });
        let refused = host.invoke("generate_images", args).unwrap();
        assert_eq!(error_code(&refused), "invalid_config", "{name}");
        assert_eq!(refused["error"]["reason"], "credential_header", "{refused}");
        assert!(refused["error"]["message"].as_str().unwrap().contains(name), "names the header: {refused}");
        assert!(!refused.to_string().contains(KEY) && !refused.to_string().contains("anything") && !refused.to_string().contains("session=1"), "{refused}");
    }
    assert!(provider.recorded().is_empty());
    let mut fine = call("mine", &provider.base_url(), "h-ok");
    fine["endpoint"]["extraHeaders"] = json!({ "X-Trace": "abc" });
    assert_eq!(host.invoke("generate_images", fine).unwrap()["ok"], true);
}

#[test]
fn a_relay_that_gives_up_after_a_delay_is_a_gateway_timeout_that_may_have_run_and_is_sent_once() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    for status in [524, 504, 502] {
        let id = format!("relay-{status}");
        let started = Instant::now();
        let answer = host.invoke("generate_images", call("default", &provider.base_url_with(&format!("fault=relay-{status},latency=300")), &id)).unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(error_code(&answer), "gateway_timeout", "{answer}");
        assert_eq!(answer["error"]["status"], status);
        assert_eq!((answer["error"]["sent"].as_bool(), answer["error"]["may_have_run"].as_bool()), (Some(true), Some(true)), "{answer}");
        assert!(answer["error"].get("provider_message").is_none(), "a proxy's page is never quoted: {answer}");
        let lines = assert_logged_once(&host.ctx, &id, "failed");
        assert!(lines[1].contains("error_code=gateway_timeout"), "{}", lines[1]);
    }
    assert_eq!(provider.recorded().len(), 3, "one request each: never retried");
}

#[test]
fn a_stream_ends_at_its_final_event_even_when_the_server_keeps_the_connection_open() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let base = provider.base_url_with("keep-open");
    let png = support::PNG_B64;
    for (id, command, request) in [
        ("open-gen", "generate_images", json!({ "model": "gpt-image-1", "prompt": "a fox", "n": 2 })),
        ("open-edit", "edit_images", json!({ "model": "gpt-image-1", "prompt": "a fox", "images": [{ "file_name": "a.png", "b64_json": png }] })),
        ("open-resp", "generate_via_responses", json!({ "model": "gpt-4.1", "prompt": "a fox" })),
    ] {
        let mut args = json!({ "requestId": id, "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "images", "auth": "bearer" }, "request": request, "stream": true, "partialImages": 1, "timeoutMs": 8000 });
        if command == "generate_via_responses" {
            args["endpoint"]["dialect"] = json!("responses");
        }
        let started = Instant::now();
        let answer = host.invoke(command, args).unwrap();
        assert_eq!(answer["ok"], true, "{command}: {answer}");
        assert!(started.elapsed() < Duration::from_secs(6), "{command} waited for the connection to close: {:?}", started.elapsed());
        let images = answer["result"]["data"].as_array().unwrap().len();
        assert_eq!(images, if command == "generate_images" { 2 } else { 1 }, "{command}: {answer}");
        assert!(answer.get("streamFallback").is_none(), "{answer}");
    }
}
