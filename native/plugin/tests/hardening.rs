//! Hardening through the real command path: a provider that answers multi-byte text in every
//! field of each API shape, a bug (panic) inside a worker task, and a credential store that is
//! locked or refuses.

mod support;

use std::sync::{Arc, Mutex};

use managed_image_gateway::{
    BoxFuture, InboundResponse, KeyStores, ManagedImageGateway, OutboundRequest, SecretStore, StoreFailure, StoredKey, Transport, TransportFailure,
};
use serde_json::{json, Value};
use support::{generate_args, lines_for, Host, PNG_B64};

const KEY: &str = "sk-hardening-0123456789";

/// Answers every call with one fixed answer.
struct Answers(Mutex<InboundResponse>);

impl Answers {
    fn with(status: u16, body: Value) -> Arc<Self> {
        Arc::new(Self(Mutex::new(answer(status, body))))
    }
    fn set(&self, status: u16, body: Value) {
        *self.0.lock().unwrap() = answer(status, body);
    }
}

fn answer(status: u16, body: Value) -> InboundResponse {
    InboundResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into()), ("x-request-id".into(), "réq-€".into())],
        body: body.to_string().into_bytes(),
    }
}

impl Transport for Answers {
    fn send(&self, _request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        let answer = self.0.lock().unwrap().clone();
        Box::pin(async move { Ok(answer) })
    }
}

const MULTI: &str = "abcd€日本語🦀é";

fn responses_args(id: &str) -> Value {
    json!({ "requestId": id, "endpoint": { "profileId": "default", "baseUrl": "https://api.example.com/v1", "dialect": "responses", "auth": "bearer" }, "request": { "model": "gpt-4.1", "prompt": "p" } })
}

fn code(answer: &Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or("(none)")
}

#[test]
fn multi_byte_text_in_every_field_of_each_api_shape_gives_an_answer_or_a_typed_error() {
    let transport = Answers::with(200, json!({}));
    let host = Host::load_plugin(ManagedImageGateway::with_transport(transport.clone()));
    let generate = |id: &str| host.invoke("generate_images", generate_args(id, "https://api.example.com/v1", json!({ "model": "m", "prompt": "p" }))).unwrap();

    // Images: the reported case, a URL and a base64 field with a multi-byte character across byte 5.
    for (field, value) in [("url", MULTI.to_string()), ("b64_json", MULTI.to_string()), ("url", format!("data:{MULTI}")), ("b64_json", format!("data:{MULTI},{MULTI}"))] {
        transport.set(200, json!({ "created": MULTI, "data": [{ field: value, "revised_prompt": MULTI }], "usage": MULTI }));
        let answer = generate("img");
        assert_eq!(code(&answer), "invalid_response", "{field}={value}: {answer}");
    }
    transport.set(200, json!({ "created": 1, "data": [{ "b64_json": PNG_B64, "revised_prompt": MULTI }] }));
    let answer = generate("img-ok");
    assert_eq!(answer["result"]["data"][0]["revised_prompt"], MULTI, "{answer}");
    transport.set(200, json!({ "data": MULTI, "error": { "message": MULTI } }));
    assert_eq!(code(&generate("img-2")), "invalid_response");

    // Errors: every message field multi-byte, on each status class.
    for status in [302, 400, 401, 403, 404, 408, 413, 429, 500, 503, 418] {
        transport.set(status, json!({ "error": { "message": MULTI.repeat(40), "request_id": MULTI, "code": MULTI, "type": MULTI }, "detail": MULTI, "title": MULTI }));
        let answer = generate("err");
        assert_eq!(answer["ok"], false);
        assert_ne!(code(&answer), "internal", "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains("abcd€"), "{answer}");
        assert!(answer["error"].get("provider_request_id").is_none(), "a non-ASCII request id is not kept: {answer}");
    }

    // Responses API.
    for output in [
        json!([{ "type": "image_generation_call", "status": MULTI, "result": MULTI, "revised_prompt": MULTI }]),
        json!([{ "type": MULTI, "result": MULTI }, { "type": "message", "content": [{ "type": MULTI, "text": MULTI }] }]),
    ] {
        transport.set(200, json!({ "created_at": MULTI, "output": output, "error": null, "usage": MULTI }));
        let answer = host.invoke("generate_via_responses", responses_args("resp")).unwrap();
        assert_eq!(code(&answer), "invalid_response", "{answer}");
    }
    transport.set(200, json!({ "error": { "message": MULTI } }));
    assert!(host.invoke("generate_via_responses", responses_args("resp-2")).unwrap()["error"]["message"].as_str().unwrap().contains(MULTI));

    // Model list.
    transport.set(200, json!({ "object": MULTI, "data": [{ "id": MULTI }, { "id": MULTI.repeat(30) }, { "id": 7 }] }));
    let models = host.invoke("test_connection", json!({ "requestId": "tc", "endpoint": { "profileId": "default", "baseUrl": "https://api.example.com/v1", "dialect": "images", "auth": "bearer" } })).unwrap();
    assert_eq!(models["models"], json!([MULTI]), "{models}");
}

/// A transport with a bug: it panics inside the worker task.
struct Panics;

impl Transport for Panics {
    fn send(&self, _request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        Box::pin(async move {
            let text = String::from(MULTI);
            let _ = &text[..5];
            unreachable!("the slice above panics")
        })
    }
}

#[test]
fn a_panic_in_a_worker_task_is_the_internal_error_logged_once_with_its_location_never_network() {
    let host = Host::load_plugin(ManagedImageGateway::with_transport(Arc::new(Panics)));
    let answer = host.invoke("generate_images", generate_args("boom-1", "https://api.example.com/v1", json!({ "model": "m", "prompt": "p" }))).unwrap();
    assert_eq!(code(&answer), "internal", "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("hardening.rs:") && message.contains("may have reached the endpoint"), "{message}");
    assert!(!message.contains("abcd"), "the panic message (which quotes the text) is never kept: {message}");
    let lines = lines_for(&host.ctx, "boom-1");
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[1].contains(" failed ") && lines[1].contains("error_code=internal"), "{lines:#?}");
    assert_eq!(host.ctx.log_lines().iter().filter(|l| l.contains("hardening.rs:")).count(), 1, "the location is logged once");
    // Each parallel Responses call panics too: still one internal answer.
    let answer = host.invoke("generate_via_responses", json!({ "requestId": "boom-2", "endpoint": { "profileId": "default", "baseUrl": "https://api.example.com/v1", "dialect": "responses", "auth": "bearer" }, "request": { "model": "m", "prompt": "p", "n": 3 } })).unwrap();
    assert_eq!(code(&answer), "internal", "{answer}");
    // And the plugin keeps working.
    assert_eq!(host.invoke("ping", json!({})).unwrap()["id"], "dev.haloforge.managed-image-gateway");
}

/// A credential store double (the OS service is a boundary we do not own): locked until unlocked.
#[derive(Clone, Default)]
struct LockedKeychain {
    locked: Arc<Mutex<bool>>,
    values: Arc<Mutex<std::collections::HashMap<String, StoredKey>>>,
}

impl SecretStore for LockedKeychain {
    fn read(&self, entry: &str) -> Result<Option<StoredKey>, StoreFailure> {
        if *self.locked.lock().unwrap() { Err(StoreFailure::Unavailable("locked".into())) } else { Ok(self.values.lock().unwrap().get(entry).cloned()) }
    }
    fn write(&self, entry: &str, key: &StoredKey) -> Result<(), StoreFailure> {
        if *self.locked.lock().unwrap() {
            return Err(StoreFailure::Unavailable("locked".into()));
        }
        self.values.lock().unwrap().insert(entry.into(), key.clone());
        Ok(())
    }
    fn remove(&self, entry: &str) -> Result<(), StoreFailure> {
        self.values.lock().unwrap().remove(entry);
        Ok(())
    }
}

#[test]
fn a_locked_credential_store_keeps_the_key_in_the_file_with_a_notice_never_in_settings() {
    let keychain = LockedKeychain::default();
    *keychain.locked.lock().unwrap() = true;
    let transport = Answers::with(200, json!({ "data": [{ "b64_json": PNG_B64 }] }));
    let host = Host::load_plugin(ManagedImageGateway::with_transport(transport).with_key_stores(KeyStores::Custom(Box::new(keychain.clone()))));
    let set = host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "apiKey": KEY })).unwrap();
    assert_eq!(set, json!({ "ok": true, "apiKeySet": true, "storage": "file", "notice": "keychain_unavailable" }));
    assert!(!host.ctx.settings_text().contains(KEY));
    assert!(host.ctx.log_lines().iter().any(|l| l == "api key stored gateway=custom profile=default storage=file notice=keychain_unavailable"));

    // Unlocked: a new key goes to the keychain and the file copy is removed.
    *keychain.locked.lock().unwrap() = false;
    let set = host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "apiKey": format!("{KEY}-2") })).unwrap();
    assert_eq!(set, json!({ "ok": true, "apiKeySet": true, "storage": "keychain" }));
    let kept = keychain.values.lock().unwrap().get("custom-endpoint-api-key.default").cloned().unwrap();
    assert_eq!((kept.api_key.as_str(), kept.origin.as_deref()), (format!("{KEY}-2").as_str(), Some("https://api.example.com")));
    assert!(!host.ctx.data.path().join("data").join("custom-endpoint-api-key.default.json").exists());
    let everything = format!("{} {:?}", host.ctx.settings_text(), host.ctx.log_lines());
    assert!(!everything.contains(KEY), "{everything}");
}
