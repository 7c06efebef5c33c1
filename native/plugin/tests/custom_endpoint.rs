//! The commands against the fake OpenAI-compatible provider on 127.0.0.1: successes, every
//! failure the issue lists, edits on the wire, the Responses API, the key commands and logging.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_provider::{Config, FakeProvider};
use hf_plugin_api::PluginContext;
use managed_image_gateway::{HttpTransport, KeyStores, ManagedImageGateway};
use serde_json::{json, Value};
use support::{assert_logged_once, generate_args, FakeContext, Host, PNG_B64};

const KEY: &str = "sk-test-0123456789abcdefSECRET";

/// A plugin with the test key saved for the default profile and the origin of `base`.
fn host_with_key(base: &str) -> Host {
    let host = Host::load();
    let answer = host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": base, "apiKey": KEY })).unwrap();
    assert_eq!(answer, json!({ "ok": true, "apiKeySet": true, "storage": "file" }));
    host
}

fn provider() -> FakeProvider {
    FakeProvider::start(Config { api_key: Some(KEY.into()), ..Config::default() })
}

fn generate(host: &Host, id: &str, base: &str, request: Value) -> Value {
    host.invoke("generate_images", generate_args(id, base, request)).expect("well-formed call")
}

fn error_code(answer: &Value) -> &str {
    assert_eq!(answer["ok"], false, "{answer}");
    answer["error"]["code"].as_str().unwrap()
}

fn assert_no_secret(host: &Host, answer: &Value) {
    let everything = format!("{answer} {:?}", host.ctx.log_lines());
    assert!(!everything.contains(KEY), "key leaked: {everything}");
    assert!(!everything.contains("SECRET"), "key fragment leaked: {everything}");
}

#[test]
fn generates_one_to_four_images_as_base64_and_as_links_kept_as_base64() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    for n in 1..=4u64 {
        for format in ["b64_json", "url"] {
            let id = format!("gen-{n}-{format}");
            let answer = generate(&host, &id, &provider.base_url(), json!({ "model": "gpt-image-1", "prompt": "a red fox", "n": n, "response_format": format }));
            assert_eq!(answer["ok"], true, "{answer}");
            assert_eq!(answer["status"], 200);
            assert_eq!(answer["requestId"], id.as_str());
            assert!(answer["providerRequestId"].as_str().unwrap().starts_with("req_fake_"));
            let data = answer["result"]["data"].as_array().unwrap();
            assert_eq!(data.len() as u64, n);
            // A link is fetched at once (without the key) and kept as base64, so it outlives its expiry.
            for item in data {
                assert!(item["b64_json"].as_str().unwrap().starts_with("iVBORw0KGgo"), "{item}");
                assert!(item.get("url").is_none(), "{item}");
            }
            if format == "url" {
                let fetches: Vec<_> = provider.recorded().into_iter().filter(|r| r.request.path.starts_with("/files/")).collect();
                assert!(fetches.len() as u64 >= n);
                assert!(fetches.iter().all(|r| r.request.header("authorization").is_none()), "a link never gets the key");
            }
            let lines = assert_logged_once(&host.ctx, &id, "succeeded");
            assert!(lines[0].contains("gateway=custom operation=generate"), "{}", lines[0]);
            assert!(lines[0].contains("model=gpt-image-1") && lines[0].contains(&format!("n={n}")) && lines[0].contains("prompt_chars=9"));
            assert!(!lines[0].contains("red fox"), "the prompt must not be logged");
            assert!(lines[1].contains("status=200") && lines[1].contains(&format!("outputs={n}")) && lines[1].contains("provider_request_id=req_fake_"));
            assert_no_secret(&host, &answer);
        }
    }
}

#[test]
fn sends_bearer_auth_and_only_the_fields_that_are_set() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let answer = generate(&host, "fields", &provider.base_url(), json!({ "model": "gpt-image-1", "prompt": "p", "size": "1024x1024" }));
    assert_eq!(answer["ok"], true, "{answer}");
    let seen = provider.recorded().pop().unwrap().request;
    assert_eq!(seen.path, "/v1/images/generations");
    assert_eq!(seen.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    let body: Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(body, json!({ "model": "gpt-image-1", "prompt": "p", "size": "1024x1024" }));
}

#[test]
fn keeps_proxy_paths_and_query_strings_of_the_base_url() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let base = format!("{}/openai/v1/?api-version=2025-04-01", provider.origin());
    let answer = generate(&host, "proxy", &base, json!({ "model": "m", "prompt": "p" }));
    assert_eq!(answer["ok"], true, "{answer}");
    let seen = provider.recorded().pop().unwrap().request;
    assert_eq!(seen.path, "/openai/v1/images/generations");
    assert_eq!(seen.query.as_deref(), Some("api-version=2025-04-01"));
    let lines = assert_logged_once(&host.ctx, "proxy", "succeeded");
    assert!(!lines[0].contains("2025-04-01"), "query values are redacted in logs: {}", lines[0]);
}

#[test]
fn edits_send_one_typed_part_per_image_and_a_mask_named_after_the_first_image() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let image = |name: &str| json!({ "file_name": name, "content_type": "image/png", "b64_json": PNG_B64 });
    let args = json!({
        "requestId": "edit-1",
        "endpoint": { "profileId": "default", "baseUrl": provider.base_url(), "dialect": "images", "auth": "bearer" },
        "request": { "model": "gpt-image-1", "prompt": "add a hat", "images": [image("/home/me/cat.png"), image("dog.jpeg.png")],
                     "mask": { "file_name": "anything.png", "b64_json": PNG_B64 }, "n": 2, "size": "1024x1024" }
    });
    let answer = host.invoke("edit_images", args).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["result"]["data"].as_array().unwrap().len(), 2);
    let recorded = provider.recorded().pop().unwrap();
    assert_eq!(recorded.request.path, "/v1/images/edits");
    let files: Vec<(String, String, String)> = recorded
        .parts
        .iter()
        .filter(|p| p.file_name.is_some())
        .map(|p| (p.name.clone(), p.file_name.clone().unwrap(), p.content_type.clone().unwrap_or_default()))
        .collect();
    assert_eq!(files, vec![
        ("image[]".into(), "cat.png".into(), "image/png".into()),
        ("image[]".into(), "dog.jpeg.png".into(), "image/png".into()),
        ("mask".into(), "cat-mask.png".into(), "image/png".into()),
    ]);
    let text = |name: &str| recorded.parts.iter().find(|p| p.name == name).map(|p| String::from_utf8_lossy(&p.data).to_string());
    assert_eq!(text("prompt").as_deref(), Some("add a hat"));
    assert_eq!(text("n").as_deref(), Some("2"));
    assert_eq!(text("response_format"), None, "response_format is never sent unless asked");
    let base64_bytes = base64_decode(PNG_B64);
    assert_eq!(recorded.parts.iter().find(|p| p.name == "mask").unwrap().data, base64_bytes);
    let lines = assert_logged_once(&host.ctx, "edit-1", "succeeded");
    assert!(lines[0].contains("operation=edit") && lines[0].contains("images=2") && lines[0].contains("mask=true"));
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).unwrap()
}

#[test]
fn responses_api_returns_one_image_per_call_and_n_calls_run_in_parallel() {
    let provider = FakeProvider::start(Config { api_key: Some(KEY.into()), latency: Duration::from_millis(500), ..Config::default() });
    let host = host_with_key(&provider.base_url());
    let args = json!({
        "requestId": "resp-1",
        "endpoint": { "profileId": "default", "baseUrl": provider.base_url(), "dialect": "responses", "auth": "bearer" },
        "request": { "model": "gpt-4.1", "image_model": "gpt-image-1", "prompt": "a lighthouse", "n": 3, "size": "1024x1024", "images": [{ "file_name": "ref.png", "b64_json": PNG_B64 }] }
    });
    let started = Instant::now();
    let answer = host.invoke("generate_via_responses", args).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    assert_eq!(answer["result"]["data"].as_array().unwrap().len(), 3);
    assert!(started.elapsed() < Duration::from_millis(1400), "three 500 ms calls took {:?} (in series they take 1.5 s)", started.elapsed());
    let body: Value = serde_json::from_slice(&provider.recorded()[0].request.body).unwrap();
    assert_eq!(body["tool_choice"], "required");
    assert_eq!(body["tools"][0], json!({ "type": "image_generation", "model": "gpt-image-1", "size": "1024x1024" }));
    assert_eq!(body["input"][0]["content"][1]["type"], "input_image");
    assert!(body["input"][0]["content"][1]["image_url"].as_str().unwrap().starts_with("data:image/png;base64,"));
    assert_logged_once(&host.ctx, "resp-1", "succeeded");
}

#[test]
fn an_endpoint_set_to_responses_refuses_the_images_command() {
    let host = host_with_key("https://api.example.com");
    let args = json!({ "requestId": "mismatch", "endpoint": { "profileId": "default", "baseUrl": "https://api.example.com", "dialect": "responses", "auth": "bearer" }, "request": { "model": "m", "prompt": "p" } });
    let answer = host.invoke("generate_images", args).unwrap();
    assert_eq!(error_code(&answer), "invalid_request");
}

struct Case {
    fault: &'static str,
    code: &'static str,
    status: Option<u64>,
}

#[test]
fn every_provider_failure_maps_to_its_code_with_a_redacted_message() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let cases = [
        Case { fault: "status:400", code: "invalid_request", status: Some(400) },
        Case { fault: "status:401", code: "unauthorized", status: Some(401) },
        Case { fault: "status:403", code: "forbidden", status: Some(403) },
        Case { fault: "status:404", code: "not_found", status: Some(404) },
        Case { fault: "status:413", code: "payload_too_large", status: Some(413) },
        Case { fault: "rate-limit:3", code: "rate_limited", status: Some(429) },
        Case { fault: "status:500", code: "server_error", status: Some(500) },
        Case { fault: "status:502", code: "gateway_timeout", status: Some(502) },
        Case { fault: "status:503", code: "server_error", status: Some(503) },
        Case { fault: "html:502", code: "gateway_timeout", status: Some(502) },
        Case { fault: "relay-502", code: "gateway_timeout", status: Some(502) },
        Case { fault: "relay-504", code: "gateway_timeout", status: Some(504) },
        Case { fault: "relay-524", code: "gateway_timeout", status: Some(524) },
        Case { fault: "truncated", code: "invalid_response", status: Some(200) },
        Case { fault: "empty-data", code: "invalid_response", status: Some(200) },
        Case { fault: "insecure-url", code: "invalid_response", status: Some(200) },
        Case { fault: "reset", code: "gateway_timeout", status: None },
        Case { fault: "redirect:http://127.0.0.1:9/v1/images/generations", code: "invalid_response", status: Some(307) },
    ];
    for case in cases {
        let id = format!("fault-{}", case.fault.split(':').next().unwrap());
        let id = format!("{id}-{}", case.status.unwrap_or(0));
        let answer = generate(&host, &id, &provider.base_url_with(&format!("fault={}", case.fault)), json!({ "model": "gpt-image-1", "prompt": "p" }));
        assert_eq!(error_code(&answer), case.code, "{}: {answer}", case.fault);
        assert_eq!(answer["error"]["status"].as_u64(), case.status, "{}: {answer}", case.fault);
        // Every one of these reached the provider; only its refusals certainly did not run.
        let refused = matches!(case.code, "invalid_request" | "unauthorized" | "forbidden" | "not_found" | "payload_too_large" | "rate_limited") || case.status == Some(503);
        assert_eq!(answer["error"]["sent"], json!(true), "{}: {answer}", case.fault);
        assert_eq!(answer["error"]["may_have_run"], json!(!refused), "{}: {answer}", case.fault);
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(!message.is_empty() && message.chars().count() <= 320, "{}: {message}", case.fault);
        let lines = assert_logged_once(&host.ctx, &id, "failed");
        assert!(lines[1].contains(&format!("error_code={}", case.code)), "{}", lines[1]);
        assert_no_secret(&host, &answer);
    }
}

#[test]
fn rate_limits_carry_retry_after_and_the_provider_request_id() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let answer = generate(&host, "rl", &provider.base_url_with("fault=rate-limit:3"), json!({ "model": "m", "prompt": "p" }));
    assert_eq!(error_code(&answer), "rate_limited");
    assert_eq!(answer["error"]["retry_after_ms"], 3000);
    assert!(answer["error"]["provider_request_id"].as_str().unwrap().starts_with("req_fake_"));
    assert!(answer["error"]["message"].as_str().unwrap().contains("Rate limit reached"), "{answer}");
}

#[test]
fn an_html_error_page_is_named_as_such_and_cf_ray_is_the_request_id() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let answer = generate(&host, "html", &provider.base_url_with("fault=html:502"), json!({ "model": "m", "prompt": "p" }));
    assert!(answer["error"]["message"].as_str().unwrap().contains("HTML page"), "{answer}");
    assert_eq!(answer["error"]["provider_request_id"], "8f00fake0000-LHR");
}

#[test]
fn a_wrong_key_is_unauthorized_and_the_echoed_key_is_redacted() {
    let provider = FakeProvider::start(Config { api_key: Some("the-right-key".into()), ..Config::default() });
    let host = host_with_key(&provider.base_url());
    let answer = generate(&host, "wrong-key", &provider.base_url(), json!({ "model": "m", "prompt": "p" }));
    assert_eq!(error_code(&answer), "unauthorized");
    assert!(answer["error"]["message"].as_str().unwrap().contains("Incorrect API key provided"), "{answer}");
    assert_no_secret(&host, &answer);
}

#[test]
fn without_a_key_no_authorization_header_is_sent() {
    let provider = FakeProvider::start(Config::default());
    let host = Host::load();
    let answer = generate(&host, "no-key", &provider.base_url(), json!({ "model": "m", "prompt": "p" }));
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(provider.recorded()[0].request.header("authorization").is_none());
}

#[test]
fn a_hundred_megabyte_answer_is_payload_too_large_with_or_without_content_length() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    for fault in ["huge:104857600", "huge-chunked:104857600"] {
        let id = fault.split(':').next().unwrap();
        let started = Instant::now();
        let answer = generate(&host, id, &provider.base_url_with(&format!("fault={fault}")), json!({ "model": "m", "prompt": "p" }));
        assert_eq!(error_code(&answer), "payload_too_large", "{fault}: {answer}");
        assert_eq!(answer["error"]["status"], 200);
        assert!(started.elapsed() < Duration::from_secs(20), "{fault} took {:?}", started.elapsed());
        assert_logged_once(&host.ctx, id, "failed");
    }
}

#[test]
fn a_slow_drip_hits_the_request_timeout() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let mut args = generate_args("drip-timeout", &provider.base_url_with("fault=drip:50"), json!({ "model": "m", "prompt": "p" }));
    args["timeoutMs"] = json!(700);
    let started = Instant::now();
    let answer = host.invoke("generate_images", args).unwrap();
    assert_eq!(error_code(&answer), "timeout");
    assert!(started.elapsed() < Duration::from_millis(1700), "{:?}", started.elapsed());
    assert_logged_once(&host.ctx, "drip-timeout", "failed");
}

#[test]
fn a_refused_connection_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let host = host_with_key(&format!("http://127.0.0.1:{port}/v1"));
    let answer = generate(&host, "refused", &format!("http://127.0.0.1:{port}/v1"), json!({ "model": "m", "prompt": "p" }));
    assert_eq!(error_code(&answer), "network");
    assert!(answer["error"]["message"].as_str().unwrap().contains("connect"), "{answer}");
    assert_eq!((answer["error"]["sent"].as_bool(), answer["error"]["may_have_run"].as_bool()), (Some(false), Some(false)), "{answer}");
    assert_logged_once(&host.ctx, "refused", "failed");
}

#[test]
fn redirects_are_not_followed_so_the_key_never_reaches_another_origin() {
    let other = FakeProvider::start(Config::default());
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let target = format!("{}/v1/images/generations", other.origin());
    let answer = generate(&host, "redirect", &provider.base_url_with(&format!("fault=redirect:{target}")), json!({ "model": "m", "prompt": "p" }));
    assert_eq!(error_code(&answer), "invalid_response");
    assert!(other.recorded().is_empty(), "the redirect target was contacted");
}

#[test]
fn bad_endpoint_settings_are_invalid_config_and_never_echo_the_url() {
    let host = host_with_key("https://api.example.com/v1");
    for (id, base) in [
        ("userinfo", "https://me:hunter2@api.example.com/v1"),
        ("scheme", "ftp://api.example.com"),
        ("plain-http", "http://api.example.com/v1"),
        ("empty", "   "),
    ] {
        let answer = generate(&host, id, base, json!({ "model": "m", "prompt": "p" }));
        assert_eq!(error_code(&answer), "invalid_config", "{base}");
        assert!(!answer.to_string().contains("hunter2"));
        assert_logged_once(&host.ctx, id, "failed");
    }
    assert!(!host.ctx.log_lines().concat().contains("hunter2"));
}

#[test]
fn invalid_requests_are_refused_before_sending() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    for (id, request) in [
        ("blank-prompt", json!({ "model": "m", "prompt": "  " })),
        ("n-zero", json!({ "model": "m", "prompt": "p", "n": 0 })),
        ("n-eleven", json!({ "model": "m", "prompt": "p", "n": 11 })),
        ("compression", json!({ "model": "m", "prompt": "p", "output_compression": 101 })),
        ("format", json!({ "model": "m", "prompt": "p", "response_format": "png" })),
    ] {
        let answer = generate(&host, id, &provider.base_url(), request);
        assert_eq!(error_code(&answer), "invalid_request", "{id}");
    }
    assert!(provider.recorded().is_empty());
}

#[test]
fn malformed_calls_are_errors_not_answers() {
    let host = host_with_key("https://a.example");
    for args in [
        json!({}),
        json!({ "requestId": "x", "endpoint": { "profileId": "default", "baseUrl": "https://a.example", "dialect": "images", "auth": "bearer" }, "request": { "model": "m" } }),
        json!({ "requestId": "x", "endpoint": { "profileId": "default", "baseUrl": "https://a.example", "dialect": "images", "auth": "bearer" }, "request": { "model": "m", "prompt": "p", "outputFormat": "png" } }),
        json!({ "requestId": "x", "endpoint": { "baseUrl": "https://a.example", "apiKey": "nope" }, "request": { "model": "m", "prompt": "p" } }),
    ] {
        let error = host.invoke("generate_images", args.clone()).unwrap_err();
        assert!(matches!(error, hf_plugin_api::PluginError::Serialization(_)), "{args}: {error}");
    }
}

const DEFAULT: &str = r#"{"profileId":"default"}"#;

fn default_profile() -> Value {
    serde_json::from_str(DEFAULT).unwrap()
}

#[test]
fn the_api_key_is_kept_out_of_the_host_settings_and_only_its_presence_and_place_are_reported() {
    let host = Host::load();
    assert_eq!(host.invoke("api_key_status", default_profile()).unwrap(), json!({ "ok": true, "apiKeySet": false }));
    host.ctx.save_settings_for_test(json!({ "theme": "dark" }));
    let set = host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "apiKey": format!("  {KEY}  ") })).unwrap();
    assert_eq!(set, json!({ "ok": true, "apiKeySet": true, "storage": "file" }));
    let status = host.invoke("api_key_status", default_profile()).unwrap();
    assert_eq!(status, json!({ "ok": true, "apiKeySet": true, "storage": "file" }), "set and where: not the key, not its origin");
    assert_eq!(host.invoke("api_key_status", json!({ "profileId": "other" })).unwrap(), json!({ "ok": true, "apiKeySet": false }), "one key per profile");
    assert!(!host.ctx.settings_text().contains(KEY), "never in host settings");
    assert!(host.ctx.settings_text().contains("\"theme\":\"dark\""), "other settings are kept");
    assert!(!host.ctx.log_lines().concat().contains(KEY));
    let key_file = host.ctx.data.path().join("data").join("custom-endpoint-api-key.default.json");
    assert!(std::fs::read_to_string(&key_file).unwrap().contains(KEY));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(host.invoke("clear_api_key", default_profile()).unwrap(), json!({ "ok": true, "apiKeySet": false }));
    assert_eq!(host.invoke("api_key_status", default_profile()).unwrap(), json!({ "ok": true, "apiKeySet": false }));
    assert!(!key_file.exists());
    let bad = host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com", "apiKey": "has space" })).unwrap();
    assert_eq!(bad["ok"], false);
    assert!(!bad.to_string().contains("has space"));
    for (args, why) in [
        (json!({ "profileId": "../etc", "baseUrl": "https://api.example.com", "apiKey": KEY }), "a bad profile id"),
        (json!({ "profileId": "default", "baseUrl": "ftp://api.example.com", "apiKey": KEY }), "a bad base URL"),
    ] {
        let refused = host.invoke("set_api_key", args).unwrap();
        assert_eq!(refused["ok"], false, "{why}");
        assert!(!refused.to_string().contains(KEY), "{why}");
    }
    assert!(matches!(host.invoke("set_api_key", json!({ "apiKey": KEY })), Err(hf_plugin_api::PluginError::Serialization(_))), "a key without a profile and origin");
}

#[test]
fn a_key_an_earlier_version_left_in_the_host_settings_is_moved_out_on_load_and_adopted_once() {
    let ctx = FakeContext::with_settings(json!({ "theme": "dark", "customEndpointApiKey": KEY }));
    let provider = provider();
    let host = Host::load_with(ManagedImageGateway::with_transport(Arc::new(HttpTransport::new().unwrap())), ctx);
    assert_eq!(host.ctx.settings(), json!({ "theme": "dark" }), "removed, the rest kept");
    let lines = host.ctx.log_lines();
    assert!(lines.iter().any(|l| l == "api key moved out of host settings storage=file"), "{lines:#?}");
    assert!(!lines.concat().contains(KEY));
    // Not any profile's key until the upgrade adopts it.
    assert_eq!(host.invoke("api_key_status", default_profile()).unwrap(), json!({ "ok": true, "apiKeySet": false }));
    let adopted = host.invoke("adopt_legacy_key", json!({ "profileId": "default", "baseUrl": provider.base_url() })).unwrap();
    assert_eq!(adopted, json!({ "ok": true, "adopted": true, "storage": "file" }));
    assert_eq!(host.invoke("api_key_status", default_profile()).unwrap(), json!({ "ok": true, "apiKeySet": true, "storage": "file" }));
    assert!(!host.ctx.data.path().join("data").join("custom-endpoint-api-key.json").exists(), "the legacy entry is gone");
    // A second call has nothing to adopt and rebinds nothing.
    let other = FakeProvider::start(Config::default());
    assert_eq!(host.invoke("adopt_legacy_key", json!({ "profileId": "default", "baseUrl": other.base_url() })).unwrap(), json!({ "ok": true, "adopted": false }));
    // The adopted key is the one sent, to its origin only.
    let answer = host.invoke("generate_images", generate_args("mv-1", &provider.base_url(), json!({ "model": "gpt-image-1", "prompt": "a fox" }))).unwrap();
    assert_eq!(answer["ok"], true, "{answer}");
    let elsewhere = host.invoke("generate_images", generate_args("mv-2", &other.base_url(), json!({ "model": "gpt-image-1", "prompt": "a fox" }))).unwrap();
    assert_eq!(error_code(&elsewhere), "key_origin_mismatch");
    assert!(other.recorded().is_empty());
}

#[test]
fn a_corrupt_key_file_reads_as_no_key_with_a_notice_and_nothing_else_breaks() {
    let ctx = FakeContext::default();
    std::fs::create_dir_all(ctx.data_dir()).unwrap();
    std::fs::write(ctx.data_dir().join("custom-endpoint-api-key.default.json"), "{ not json").unwrap();
    let host = Host::load_with(ManagedImageGateway::new().with_key_stores(KeyStores::FileOnly), ctx);
    assert_eq!(host.invoke("api_key_status", default_profile()).unwrap(), json!({ "ok": true, "apiKeySet": false, "notice": "key_unreadable" }));
    assert_eq!(host.invoke("ping", json!({})).unwrap()["version"], "0.1.0");
    assert_eq!(host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://a.example", "apiKey": KEY })).unwrap(), json!({ "ok": true, "apiKeySet": true, "storage": "file" }));
}

#[test]
fn test_connection_reports_reachability_key_acceptance_and_models() {
    let provider = provider();
    let host = host_with_key(&provider.base_url());
    let ok = host.invoke("test_connection", json!({ "requestId": "tc-1", "endpoint": { "profileId": "default", "baseUrl": provider.base_url(), "dialect": "images", "auth": "bearer" } })).unwrap();
    assert_eq!(ok["ok"], true, "{ok}");
    assert_eq!(ok["reachable"], true);
    assert_eq!(ok["authAccepted"], true);
    assert_eq!(ok["modelsListed"], true);
    assert_eq!(ok["modelCount"], 3);
    assert_eq!(ok["models"][0], "gpt-image-1");
    assert_logged_once(&host.ctx, "tc-1", "succeeded");

    let locked = FakeProvider::start(Config { api_key: Some("another".into()), ..Config::default() });
    host.invoke("set_api_key", json!({ "profileId": "locked", "baseUrl": locked.base_url(), "apiKey": KEY })).unwrap();
    let denied = host.invoke("test_connection", json!({ "requestId": "tc-2", "endpoint": { "profileId": "locked", "baseUrl": locked.base_url(), "dialect": "images", "auth": "bearer" } })).unwrap();
    assert_eq!(denied["reachable"], true);
    assert_eq!(denied["authAccepted"], false);
    assert_eq!(denied["modelsListed"], false);
    assert!(!denied.to_string().contains(KEY));
    let lines = assert_logged_once(&host.ctx, "tc-2", "failed");
    assert!(lines[1].contains("error_code=unauthorized"), "{}", lines[1]);

    let gone = host.invoke("test_connection", json!({ "requestId": "tc-3", "endpoint": { "profileId": "nokey", "baseUrl": "http://127.0.0.1:9/v1", "dialect": "images", "auth": "bearer" }, "timeoutMs": 2000 })).unwrap();
    assert_eq!(error_code(&gone), "network");
}
