//! Contract tests of the dialects: our real requests, built by the plugin from OpenAI's field
//! names, against the fake provider's strict modes (`mode=azure|gemini|chat|siliconflow|xai`), each
//! of which follows that provider's documented request and answer shapes and refuses what the
//! provider refuses. Prism covers OpenAI's own spec (`prism_contract.rs`).

mod support;

use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider, Recorded};
use serde_json::{json, Value};
use support::{Host, PNG_B64};

const KEY: &str = "sk-dialect-test-0123456789";

/// A plugin with `KEY` saved for `profile`, bound to the origin of `provider`.
fn host(provider: &FakeProvider, profile: &str) -> Host {
    let host = Host::load();
    let saved = host.invoke("set_api_key", json!({ "profileId": profile, "baseUrl": provider.origin(), "apiKey": KEY })).unwrap();
    assert_eq!(saved["ok"], true, "{saved}");
    host
}

fn provider() -> FakeProvider {
    FakeProvider::start(Config { api_key: Some(KEY.into()), ..Config::default() })
}

fn call(host: &Host, command: &str, id: &str, endpoint: Value, request: Value) -> Value {
    host.invoke(command, json!({ "requestId": id, "endpoint": endpoint, "request": request })).expect("well-formed call")
}

fn streamed(host: &Host, command: &str, id: &str, endpoint: Value, request: Value) -> Value {
    host.invoke(command, json!({ "requestId": id, "endpoint": endpoint, "request": request, "stream": true, "partialImages": 1 })).expect("well-formed call")
}

fn images(answer: &Value) -> Vec<String> {
    assert_eq!(answer["ok"], true, "{answer}");
    let data = answer["result"]["data"].as_array().unwrap();
    data.iter()
        .map(|item| {
            assert!(item.get("url").is_none(), "{item}");
            let b64 = item["b64_json"].as_str().unwrap_or_else(|| panic!("no b64_json: {item}")).to_string();
            assert!(b64.starts_with("iVBORw0KGgo"), "not a PNG: {item}");
            b64
        })
        .collect()
}

fn error(answer: &Value) -> &Value {
    assert_eq!(answer["ok"], false, "{answer}");
    &answer["error"]
}

fn last(provider: &FakeProvider) -> Recorded {
    provider.recorded().pop().expect("a request reached the provider")
}

fn body(recorded: &Recorded) -> Value {
    serde_json::from_slice(&recorded.request.body).expect("a JSON body")
}

/// The status a plain `GET` of `target` on the provider answers.
fn status_of(provider: &FakeProvider, target: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(provider.addr()).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut head = String::new();
    let _ = stream.read_to_string(&mut head);
    head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn image() -> Value {
    json!({ "file_name": "cat.png", "b64_json": PNG_B64 })
}

#[test]
fn azure_classic_paths_carry_the_deployment_api_version_and_api_key_header() {
    let provider = provider();
    let host = host(&provider, "work-azure");
    let base = format!("{}/fake/mode=azure", provider.origin());
    let azure = json!({ "profileId": "work-azure", "baseUrl": base, "dialect": "azure", "auth": "api-key", "deployment": "img-dep", "apiVersion": "2025-04-01-preview" });

    images(&call(&host, "generate_images", "az-gen", azure.clone(), json!({ "model": "gpt-image-1", "prompt": "a fox", "size": "1024x1024" })));
    let sent = last(&provider);
    assert_eq!(sent.request.path, "/fake/mode=azure/openai/deployments/img-dep/images/generations");
    assert_eq!(sent.request.query.as_deref(), Some("api-version=2025-04-01-preview"));
    assert_eq!(sent.request.header("api-key"), Some(KEY));
    assert!(sent.request.header("authorization").is_none());

    images(&call(&host, "edit_images", "az-edit", azure.clone(), json!({ "model": "gpt-image-1", "prompt": "a hat", "images": [image()] })));
    assert_eq!(last(&provider).request.path, "/fake/mode=azure/openai/deployments/img-dep/images/edits");
    let mut json_edits = azure.clone();
    json_edits["editUpload"] = json!("json");
    images(&call(&host, "edit_images", "az-edit-json", json_edits, json!({ "model": "gpt-image-1", "prompt": "a hat", "images": [image()], "mask": image() })));
    assert!(body(&last(&provider))["images"][0]["image_url"].as_str().unwrap().starts_with("data:image/png;base64,"));

    images(&call(&host, "generate_via_responses", "az-resp", azure.clone(), json!({ "model": "gpt-4.1", "prompt": "a fox" })));
    let sent = last(&provider);
    assert_eq!(sent.request.path, "/fake/mode=azure/openai/responses");
    assert_eq!(sent.request.header("x-ms-oai-image-generation-deployment"), Some("img-dep"));

    // The portal's whole Target URI as the base URL still reaches the right path.
    let mut pasted = azure.clone();
    pasted["baseUrl"] = json!(format!("{base}/openai/deployments/img-dep/images/generations?api-version=2024-02-01"));
    images(&call(&host, "generate_images", "az-pasted", pasted, json!({ "model": "gpt-image-1", "prompt": "a fox" })));
    assert_eq!(last(&provider).request.query.as_deref(), Some("api-version=2025-04-01-preview"));

    // Azure refuses Bearer…
    let mut bearer = azure.clone();
    bearer["auth"] = json!("bearer");
    let refused = call(&host, "generate_images", "az-bearer", bearer, json!({ "model": "gpt-image-1", "prompt": "a fox" }));
    assert_eq!((error(&refused)["code"].as_str(), error(&refused)["status"].as_u64()), (Some("unauthorized"), Some(401)));
    // …an edit without the deployment in its path is a 404 (the usual mistake)…
    let v1_style = json!({ "profileId": "work-azure", "baseUrl": format!("{base}/openai?api-version=2025-04-01-preview"), "dialect": "images", "auth": "api-key" });
    let lost = call(&host, "edit_images", "az-no-dep", v1_style, json!({ "model": "gpt-image-1", "prompt": "a hat", "images": [image()] }));
    assert_eq!(error(&lost)["code"], "not_found", "{lost}");
    // …and a call without api-version is refused by the provider, and by us before sending.
    let no_version = json!({ "profileId": "work-azure", "baseUrl": format!("{base}/openai/deployments/img-dep"), "dialect": "images", "auth": "api-key" });
    let refused = call(&host, "generate_images", "az-no-version", no_version, json!({ "model": "gpt-image-1", "prompt": "a fox" }));
    assert_eq!(error(&refused)["status"], 400, "{refused}");
    let before = provider.recorded().len();
    let mut unversioned = azure.clone();
    unversioned.as_object_mut().unwrap().remove("apiVersion");
    let refused = call(&host, "generate_images", "az-unversioned", unversioned, json!({ "model": "gpt-image-1", "prompt": "a fox" }));
    assert_eq!((error(&refused)["code"].as_str(), error(&refused)["sent"].as_bool()), (Some("invalid_config"), Some(false)));
    assert_eq!(provider.recorded().len(), before, "nothing was sent");

    let models = host.invoke("list_models", json!({ "requestId": "az-models", "endpoint": azure })).unwrap();
    assert_eq!(models["models"], json!([{ "id": "gpt-image-1", "image": true }]), "{models}");
}

#[test]
fn gemini_takes_only_its_five_fields_and_refuses_unknown_names() {
    let provider = provider();
    let host = host(&provider, "gemini");
    let gemini = json!({ "profileId": "gemini", "baseUrl": format!("{}/fake/mode=gemini/v1beta/openai", provider.origin()), "dialect": "images", "auth": "bearer" });
    let request = json!({ "model": "imagen-4.0-generate-001", "prompt": "a fox", "n": 2, "size": "1024x1024", "response_format": "b64_json" });
    assert_eq!(images(&call(&host, "generate_images", "gm-gen", gemini.clone(), request.clone())).len(), 2);
    assert_eq!(last(&provider).request.path, "/fake/mode=gemini/v1beta/openai/images/generations");

    // The images dialect sends every field that is set: a field Gemini does not take comes back
    // as its own 400, which is why a preset names the fields its provider takes.
    let mut with_quality = request.clone();
    with_quality["quality"] = json!("high");
    let refused = call(&host, "generate_images", "gm-quality", gemini.clone(), with_quality);
    assert_eq!(error(&refused)["code"], "invalid_request");
    assert!(error(&refused)["provider_message"].as_str().unwrap().contains("Unknown name \"quality\""), "{refused}");

    // `stream` is unknown there too: the plain request goes out once and is remembered.
    let answer = streamed(&host, "generate_images", "gm-stream", gemini.clone(), request);
    assert_eq!(images(&answer).len(), 2);
    assert_eq!(answer["streamFallbackReason"], "refused", "{answer}");

    let models = host.invoke("list_models", json!({ "requestId": "gm-models", "endpoint": gemini })).unwrap();
    assert_eq!(models["models"][0], json!({ "id": "models/imagen-4.0-generate-001", "image": null }), "{models}");
    assert!(models["fetchedAt"].as_u64().unwrap() > 1_700_000_000_000);
}

#[test]
fn chat_completions_bring_images_in_message_images_plain_and_streamed() {
    let provider = provider();
    let host = host(&provider, "openrouter");
    let chat = json!({ "profileId": "openrouter", "baseUrl": format!("{}/fake/mode=chat/api/v1", provider.origin()), "dialect": "chat", "auth": "bearer" });
    let answer = call(&host, "generate_images", "ch-gen", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a fox" }));
    assert_eq!(images(&answer).len(), 1);
    assert_eq!(answer["result"]["usage"]["output_tokens"], 1290, "{answer}");
    let sent = last(&provider);
    assert_eq!(sent.request.path, "/fake/mode=chat/api/v1/chat/completions");
    assert_eq!(body(&sent), json!({ "model": "google/gemini-2.5-flash-image", "messages": [{ "role": "user", "content": "a fox" }], "modalities": ["image", "text"] }));

    let answer = streamed(&host, "generate_images", "ch-stream", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a fox" }));
    assert_eq!(images(&answer).len(), 1);
    assert!(answer.get("streamFallback").is_none(), "answered as a stream: {answer}");
    assert_eq!(body(&last(&provider))["stream"], true);

    let edit = call(&host, "edit_images", "ch-edit", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a hat", "images": [image()] }));
    assert_eq!(images(&edit).len(), 1);
    assert_eq!(body(&last(&provider))["messages"][0]["content"][1]["type"], "image_url");

    // Chat has no field for these: refused by name, nothing sent.
    let before = provider.recorded().len();
    for (option, value) in [("quality", json!("high")), ("size", json!("1024x1024")), ("n", json!(2))] {
        let mut request = json!({ "model": "m", "prompt": "a fox" });
        request[option] = value;
        let refused = call(&host, "generate_images", "ch-refused", chat.clone(), request);
        assert_eq!((error(&refused)["code"].as_str(), error(&refused)["option"].as_str()), (Some("unsupported_option"), Some(option)), "{refused}");
        assert_eq!((error(&refused)["sent"].as_bool(), error(&refused)["may_have_run"].as_bool()), (Some(false), Some(false)));
    }
    let refused = call(&host, "edit_images", "ch-mask", chat.clone(), json!({ "model": "m", "prompt": "a hat", "images": [image()], "mask": image() }));
    assert_eq!(error(&refused)["option"], "mask");
    assert_eq!(provider.recorded().len(), before);

    // There is no Images API there.
    let images_dialect = json!({ "profileId": "openrouter", "baseUrl": format!("{}/fake/mode=chat/api/v1", provider.origin()), "dialect": "images", "auth": "bearer" });
    let lost = call(&host, "generate_images", "ch-images", images_dialect, json!({ "model": "m", "prompt": "a fox" }));
    assert_eq!(error(&lost)["code"], "not_found");

    let models = host.invoke("list_models", json!({ "requestId": "ch-models", "endpoint": chat })).unwrap();
    assert_eq!(models["models"], json!([{ "id": "google/gemini-2.5-flash-image", "image": true }]), "{models}");
}

#[test]
fn xai_takes_its_aspect_ratio_and_resolution_and_refuses_openai_sizes() {
    let provider = provider();
    let host = host(&provider, "xai");
    let xai = json!({ "profileId": "xai", "baseUrl": format!("{}/fake/mode=xai/v1", provider.origin()), "dialect": "images", "auth": "bearer" });
    let answer = call(&host, "generate_images", "xa-gen", xai.clone(), json!({ "model": "grok-imagine-image", "prompt": "a fox", "n": 2, "aspect_ratio": "16:9", "resolution": "2k" }));
    assert_eq!(images(&answer).len(), 2);
    let sent = last(&provider);
    assert_eq!(sent.request.path, "/fake/mode=xai/v1/images/generations");
    assert_eq!(body(&sent), json!({ "model": "grok-imagine-image", "prompt": "a fox", "n": 2, "aspect_ratio": "16:9", "resolution": "2k" }));
    // Neither is sent unless given: the provider's own default applies.
    images(&call(&host, "generate_images", "xa-plain", xai.clone(), json!({ "model": "grok-imagine-image", "prompt": "a fox" })));
    assert_eq!(body(&last(&provider)), json!({ "model": "grok-imagine-image", "prompt": "a fox" }));

    // What xAI refuses, it refuses by name, as the real API does.
    for (option, value) in [("size", json!("1024x1024")), ("quality", json!("high")), ("style", json!("vivid"))] {
        let mut request = json!({ "model": "grok-imagine-image", "prompt": "a fox" });
        request[option] = value;
        let refused = call(&host, "generate_images", "xa-refused", xai.clone(), request);
        assert_eq!((error(&refused)["code"].as_str(), error(&refused)["status"].as_u64()), (Some("invalid_request"), Some(400)), "{refused}");
        assert!(refused.to_string().contains(&format!("Argument not supported: {option}")), "{refused}");
    }
    let refused = call(&host, "generate_images", "xa-4k", xai.clone(), json!({ "model": "grok-imagine-image", "prompt": "a fox", "resolution": "4k" }));
    assert_eq!(error(&refused)["status"], 400, "{refused}");

    // A value that is no ratio or resolution at all never leaves: a schema error naming the field.
    let before = provider.recorded().len();
    for (option, value) in [("aspect_ratio", "16x9"), ("aspect_ratio", "16:9; drop"), ("resolution", "2048")] {
        let mut request = json!({ "model": "grok-imagine-image", "prompt": "a fox" });
        request[option] = json!(value);
        let refused = call(&host, "generate_images", "xa-bad", xai.clone(), request);
        assert_eq!((error(&refused)["code"].as_str(), error(&refused)["sent"].as_bool()), (Some("invalid_request"), Some(false)), "{refused}");
        assert!(error(&refused)["message"].as_str().unwrap().contains(option), "{refused}");
    }
    // SiliconFlow has no field for them: refused by name, nothing sent.
    let sf = json!({ "profileId": "xai", "baseUrl": format!("{}/fake/mode=siliconflow/v1", provider.origin()), "dialect": "siliconflow", "auth": "bearer" });
    let refused = call(&host, "generate_images", "xa-sf", sf, json!({ "model": "m", "prompt": "a fox", "size": "512x512", "aspect_ratio": "1:1" }));
    assert_eq!((error(&refused)["code"].as_str(), error(&refused)["option"].as_str()), (Some("unsupported_option"), Some("aspect_ratio")), "{refused}");
    assert_eq!(provider.recorded().len(), before);
}

#[test]
fn chat_sends_a_ratio_and_resolution_as_image_config() {
    let provider = provider();
    let host = host(&provider, "openrouter");
    let chat = json!({ "profileId": "openrouter", "baseUrl": format!("{}/fake/mode=chat/api/v1", provider.origin()), "dialect": "chat", "auth": "bearer" });
    let answer = call(&host, "generate_images", "ic-gen", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a fox", "aspect_ratio": "21:9", "resolution": "2K" }));
    assert_eq!(images(&answer).len(), 1);
    assert_eq!(body(&last(&provider))["image_config"], json!({ "aspect_ratio": "21:9", "image_size": "2K" }));
    let edit = call(&host, "edit_images", "ic-edit", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a hat", "images": [image()], "aspect_ratio": "4:5" }));
    assert_eq!(images(&edit).len(), 1);
    assert_eq!(body(&last(&provider))["image_config"], json!({ "aspect_ratio": "4:5" }));

    // Gemini refuses a ratio it does not make; we refuse an image_size chat does not have.
    let refused = call(&host, "generate_images", "ic-ratio", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a fox", "aspect_ratio": "20:9" }));
    assert_eq!(error(&refused)["status"], 400, "{refused}");
    assert!(error(&refused)["provider_message"].as_str().unwrap().contains("image_config.aspect_ratio"), "{refused}");
    let before = provider.recorded().len();
    let refused = call(&host, "generate_images", "ic-size", chat.clone(), json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a fox", "resolution": "2k" }));
    assert_eq!((error(&refused)["code"].as_str(), error(&refused)["sent"].as_bool()), (Some("invalid_request"), Some(false)), "{refused}");
    assert!(error(&refused)["message"].as_str().unwrap().contains("resolution"), "{refused}");
    assert_eq!(provider.recorded().len(), before);
}

#[test]
fn siliconflow_gets_its_own_names_and_its_expiring_links_are_kept_as_base64() {
    let provider = provider();
    let host = host(&provider, "siliconflow");
    let base = format!("{}/fake/mode=siliconflow,url-ttl=400/v1", provider.origin());
    let sf = json!({ "profileId": "siliconflow", "baseUrl": base, "dialect": "siliconflow", "auth": "bearer" });
    let answer = call(&host, "generate_images", "sf-gen", sf.clone(), json!({
        "model": "Kwai-Kolors/Kolors", "prompt": "a fox", "size": "1024x1024", "n": 2, "seed": 7, "negative_prompt": "blur",
        "num_inference_steps": 20, "guidance_scale": 7.5
    }));
    assert_eq!(images(&answer).len(), 2);
    let recorded = provider.recorded();
    let generation = recorded.iter().rev().find(|r| r.request.path.ends_with("/images/generations")).unwrap();
    assert_eq!(body(generation), json!({
        "model": "Kwai-Kolors/Kolors", "prompt": "a fox", "image_size": "1024x1024", "batch_size": 2, "seed": 7,
        "negative_prompt": "blur", "num_inference_steps": 20, "guidance_scale": 7.5
    }));
    let links: Vec<&Recorded> = recorded.iter().filter(|r| r.request.path.starts_with("/files/")).collect();
    assert_eq!(links.len(), 2, "both links fetched at once");
    assert!(links.iter().all(|r| r.request.header("authorization").is_none()));

    // The links expire; the images the answer holds do not.
    let link = format!("{}?{}", links[0].request.path, links[0].request.query.as_deref().unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    while status_of(&provider, &link) != 403 {
        assert!(Instant::now() < deadline, "the link never expired");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(images(&answer).len(), 2);

    let edit = call(&host, "edit_images", "sf-edit", sf.clone(), json!({ "model": "Qwen/Qwen-Image-Edit", "prompt": "a hat", "images": [image()] }));
    assert_eq!(images(&edit).len(), 1);

    let before = provider.recorded().len();
    let refused = call(&host, "generate_images", "sf-quality", sf.clone(), json!({ "model": "m", "prompt": "a fox", "size": "512x512", "quality": "high" }));
    assert_eq!(error(&refused)["option"], "quality");
    let refused = streamed(&host, "generate_images", "sf-stream", sf.clone(), json!({ "model": "m", "prompt": "a fox", "size": "512x512" }));
    assert_eq!(error(&refused)["option"], "stream");
    assert_eq!(provider.recorded().len(), before);

    // OpenAI's names are refused there.
    let images_dialect = json!({ "profileId": "siliconflow", "baseUrl": base, "dialect": "images", "auth": "bearer" });
    let refused = call(&host, "generate_images", "sf-openai", images_dialect, json!({ "model": "m", "prompt": "a fox", "size": "512x512" }));
    assert_eq!(error(&refused)["provider_message"], "Unknown parameter: size.", "{refused}");
}

#[test]
fn the_auth_style_picks_the_header_and_extra_headers_cannot_carry_credentials() {
    let provider = FakeProvider::start(Config::default());
    let host = host(&provider, "p-1");
    let request = json!({ "model": "gpt-image-1", "prompt": "a fox" });
    let endpoint = |auth: &str, extra: Value| json!({ "profileId": "p-1", "baseUrl": provider.base_url(), "dialect": "images", "auth": auth, "extraHeaders": extra });
    for (auth, header, value) in [("bearer", "authorization", format!("Bearer {KEY}")), ("api-key", "api-key", KEY.to_string()), ("x-goog-api-key", "x-goog-api-key", KEY.to_string())] {
        images(&call(&host, "generate_images", "auth", endpoint(auth, json!({ "X-Trace": "t-1" })), request.clone()));
        let sent = last(&provider);
        assert_eq!(sent.request.header(header), Some(value.as_str()), "{auth}");
        assert_eq!(sent.request.header("x-trace"), Some("t-1"));
        let others = ["authorization", "api-key", "x-goog-api-key"].iter().filter(|h| **h != header).filter(|h| sent.request.header(h).is_some()).count();
        assert_eq!(others, 0, "{auth}: one credential header only");
    }
    images(&call(&host, "generate_images", "auth-none", endpoint("none", json!({})), request.clone()));
    let sent = last(&provider);
    assert!(["authorization", "api-key", "x-goog-api-key"].iter().all(|h| sent.request.header(h).is_none()));

    let before = provider.recorded().len();
    for extra in [json!({ "Authorization": "Bearer x" }), json!({ "Cookie": "a=b" }), json!({ "api-key": "k" }), json!({ "X-Goog-Api-Key": "k" }), json!({ "X-Mine": KEY })] {
        let refused = call(&host, "generate_images", "auth-extra", endpoint("bearer", extra.clone()), request.clone());
        assert_eq!(error(&refused)["code"], "invalid_config", "{extra}");
        assert!(!refused.to_string().contains(KEY), "{refused}");
    }
    for profile in ["", "has space", &"x".repeat(65)] {
        let mut bad = endpoint("bearer", json!({}));
        bad["profileId"] = json!(profile);
        assert_eq!(error(&call(&host, "generate_images", "bad-profile", bad, request.clone()))["code"], "invalid_config");
    }
    assert_eq!(provider.recorded().len(), before, "nothing was sent");
}

#[test]
fn an_image_link_over_the_size_cap_is_refused_as_run() {
    let provider = provider();
    let host = host(&provider, "siliconflow");
    let sf = json!({ "profileId": "siliconflow", "baseUrl": format!("{}/fake/mode=siliconflow,image-bytes=200000/v1", provider.origin()), "dialect": "siliconflow", "auth": "bearer" });
    let answer = host
        .invoke("generate_images", json!({ "requestId": "sf-cap", "endpoint": sf, "maxResponseBytes": 65536,
            "request": { "model": "Kwai-Kolors/Kolors", "prompt": "a fox", "size": "1024x1024" } }))
        .unwrap();
    let refused = error(&answer);
    assert_eq!((refused["code"].as_str(), refused["may_have_run"].as_bool()), (Some("payload_too_large"), Some(true)), "{answer}");
}
