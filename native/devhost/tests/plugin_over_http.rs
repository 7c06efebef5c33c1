//! The real plugin library in the real dev host, driven over HTTP the way the dev page drives it.

mod support;

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use support::{plugin_library, Devhost, PLUGIN_ID};

const PLANTED_API_KEY: &str = "sk-devhost-planted-key-0123456789abcdefXYZ";
const PLANTED_UPSTREAM_TOKEN: &str = "hf-planted-upstream-token-5f1e9a77c2";
const PLANTED_PROMPT: &str = "PLANTED PROMPT: a violet giraffe reading tax forms on the moon";

/// A 1×1 PNG, as the page would send a reference image.
fn tiny_png_b64() -> String {
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
        0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
        0x82,
    ];
    base64::engine::general_purpose::STANDARD.encode(png)
}

/// Lines about one request id (`request_id=<id>` as a whole field).
fn lines_for<'a>(lines: &'a [String], request_id: &str) -> Vec<&'a String> {
    let field = format!("request_id={request_id}");
    lines.iter().filter(|l| l.split(' ').any(|word| word == field)).collect()
}

fn assert_one_started_one_terminal(lines: &[String], request_id: &str, terminal: &str) -> (String, String) {
    let mine = lines_for(lines, request_id);
    let started: Vec<_> = mine.iter().filter(|l| l.contains(" request started ")).collect();
    let ended: Vec<_> = mine
        .iter()
        .filter(|l| l.contains(" request succeeded ") || l.contains(" request failed ") || l.contains(" request cancelled "))
        .collect();
    assert_eq!(started.len(), 1, "one started line for {request_id}: {mine:#?}");
    assert_eq!(ended.len(), 1, "one terminal line for {request_id}: {mine:#?}");
    assert!(ended[0].contains(&format!(" request {terminal} ")), "{request_id} ended {terminal}: {}", ended[0]);
    for line in [started[0], ended[0]] {
        assert!(line.contains(&format!(" {PLUGIN_ID}: ")), "tagged with the plugin id: {line}");
    }
    (started[0].to_string(), ended[0].to_string())
}

#[test]
fn generate_edit_and_cancel_through_plugin_invoke_log_one_started_and_one_terminal_line_each_without_secrets() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &["--upstream-token", PLANTED_UPSTREAM_TOKEN]);
    let endpoint = json!({ "profileId": "default", "baseUrl": host.fake_base_url, "dialect": "images", "auth": "bearer" });

    let stored = host.invoke_plugin(PLUGIN_ID, "set_api_key", json!({ "profileId": "default", "baseUrl": host.fake_base_url, "apiKey": PLANTED_API_KEY })).expect("set_api_key");
    assert_eq!(stored, json!({ "ok": true, "apiKeySet": true, "storage": "file" }));

    let generated = host
        .invoke_plugin(PLUGIN_ID, "generate_images", json!({
            "requestId": "it-gen-1",
            "endpoint": endpoint,
            "request": { "model": "gpt-image-1", "prompt": PLANTED_PROMPT, "size": "1024x1024", "n": 2 },
        }))
        .expect("generate answers");
    assert_eq!(generated["ok"], json!(true), "{generated}");
    assert_eq!(generated["result"]["data"].as_array().map(Vec::len), Some(2));

    let edited = host
        .invoke_plugin(PLUGIN_ID, "edit_images", json!({
            "requestId": "it-edit-1",
            "endpoint": endpoint,
            "request": {
                "model": "gpt-image-1", "prompt": PLANTED_PROMPT, "size": "1024x1024",
                "images": [{ "file_name": "reference.png", "b64_json": tiny_png_b64(), "content_type": "image/png" }],
                "mask": { "file_name": "mask.png", "b64_json": tiny_png_b64() },
            },
        }))
        .expect("edit answers");
    assert_eq!(edited["ok"], json!(true), "{edited}");

    // A slow-dripping endpoint keeps the request running until it is cancelled from a second
    // call, which the host runs concurrently.
    let dripping = json!({ "profileId": "default", "baseUrl": host.fake_base_url.replace("/v1", "/fake/fault=drip:200/v1"), "dialect": "images", "auth": "bearer" });
    let started = Instant::now();
    let cancelled = std::thread::scope(|scope| {
        let running = scope.spawn(|| {
            host.invoke_plugin(PLUGIN_ID, "generate_images", json!({
                "requestId": "it-cancel-1",
                "endpoint": dripping,
                "request": { "model": "gpt-image-1", "prompt": PLANTED_PROMPT, "size": "1024x1024" },
            }))
        });
        std::thread::sleep(Duration::from_millis(500));
        let cancel = host.invoke_plugin(PLUGIN_ID, "cancel_request", json!({ "requestId": "it-cancel-1" })).expect("cancel answers");
        assert_eq!(cancel, json!({ "ok": true, "cancelled": true }));
        running.join().unwrap().expect("the cancelled call still answers")
    });
    assert_eq!(cancelled["ok"], json!(false));
    assert_eq!(cancelled["error"]["code"], json!("cancelled"));
    assert!(started.elapsed() < Duration::from_secs(5), "cancel ended the request promptly");

    // The managed path too, so the upstream token is in play.
    let managed = host.post_raw(
        "/host/gateway/generate",
        &json!({ "pluginId": PLUGIN_ID, "request": { "model": "gpt-image-1", "prompt": PLANTED_PROMPT } }).to_string(),
    );
    assert_eq!(managed.0, 200, "{}", managed.1);
    assert!(!managed.1.contains(PLANTED_UPSTREAM_TOKEN), "the page never sees the upstream token");

    let lines = host.log_lines();
    let (gen_started, gen_ended) = assert_one_started_one_terminal(&lines, "it-gen-1", "succeeded");
    for field in ["gateway=custom", "operation=generate", "model=gpt-image-1", "size=1024x1024", "n=2"] {
        assert!(gen_started.contains(field), "started line has {field}: {gen_started}");
    }
    for field in ["status=200", "elapsed_ms=", "outputs=2", "provider_request_id=req_fake_"] {
        assert!(gen_ended.contains(field), "terminal line has {field}: {gen_ended}");
    }
    let (edit_started, edit_ended) = assert_one_started_one_terminal(&lines, "it-edit-1", "succeeded");
    assert!(edit_started.contains("operation=edit"), "{edit_started}");
    assert!(edit_ended.contains("outputs=1"), "{edit_ended}");
    let (_, cancel_ended) = assert_one_started_one_terminal(&lines, "it-cancel-1", "cancelled");
    assert!(cancel_ended.contains("error_code=cancelled"), "{cancel_ended}");

    let whole_log = lines.join("\n");
    for secret in [PLANTED_API_KEY, PLANTED_UPSTREAM_TOKEN, PLANTED_PROMPT, "violet giraffe"] {
        assert!(!whole_log.contains(secret), "the log must not contain {secret:?}:\n{whole_log}");
    }
}

#[test]
fn frontend_log_events_are_written_with_their_scope_level_and_details() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &[]);
    let answer = host.invoke("frontend_log_event", json!({
        "level": "warn",
        "scope": format!("plugin:{PLUGIN_ID}:panel"),
        "message": "  generation failed\nafter retry  ",
        "details": { "requestId": "r-9", "code": "timeout" },
    }));
    assert_eq!(answer, Ok(Value::Null));
    let lines = host.log_lines();
    let line = lines.iter().find(|l| l.contains("generation failed")).expect("the record is in the log");
    assert!(line.contains(&format!(" WARN  plugin:{PLUGIN_ID}:panel: generation failed\\nafter retry details=")), "{line}");
    assert!(line.contains(r#""requestId":"r-9""#), "{line}");
    assert!(line.len() > 24 && line.as_bytes()[23] == b'Z', "starts with a UTC millisecond timestamp: {line}");
}

#[test]
fn settings_saved_by_the_page_persist_across_restarts_and_the_plugin_reads_them() {
    let home = tempfile::tempdir().unwrap();
    {
        let host = Devhost::start(home.path(), &plugin_library(), &[]);
        host.invoke("plugin_save_settings", json!({ "pluginId": PLUGIN_ID, "settings": { "gatewayMode": "custom" } })).expect("saved");
        host.invoke_plugin(PLUGIN_ID, "set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "apiKey": "sk-kept-across-restarts-000000000000" })).expect("key");
    }
    let host = Devhost::start(home.path(), &plugin_library(), &[]);
    let settings = host.invoke("plugin_get_settings", json!({ "pluginId": PLUGIN_ID })).expect("read");
    assert_eq!(settings["gatewayMode"], json!("custom"));
    let status = host.invoke_plugin(PLUGIN_ID, "api_key_status", json!({ "profileId": "default" })).expect("status");
    assert_eq!(status, json!({ "ok": true, "apiKeySet": true, "storage": "file" }));
    assert!(!settings.to_string().contains("sk-kept-across-restarts"), "the key is never in the settings: {settings}");
    let other = host.invoke("plugin_get_settings", json!({ "pluginId": "someone.else" }));
    assert_eq!(other.unwrap_err().0, 404);
}

#[test]
fn a_key_an_earlier_version_saved_in_the_settings_moves_to_the_owner_only_key_file_until_a_profile_adopts_it() {
    let home = tempfile::tempdir().unwrap();
    let key = "sk-left-by-an-earlier-version-0000000";
    let settings_dir = home.path().join(".haloforge").join("devhost").join("settings");
    std::fs::create_dir_all(&settings_dir).unwrap();
    std::fs::write(
        settings_dir.join(format!("{PLUGIN_ID}.json")),
        json!({ "gatewayMode": "custom", "customEndpointApiKey": key }).to_string(),
    )
    .unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &[]);
    let settings = host.invoke("plugin_get_settings", json!({ "pluginId": PLUGIN_ID })).expect("read");
    assert_eq!(settings, json!({ "gatewayMode": "custom" }));
    let key_file = home.path().join(".haloforge").join("plugins").join(PLUGIN_ID).join("data").join("custom-endpoint-api-key.json");
    assert!(std::fs::read_to_string(&key_file).expect("the key file").contains(key));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let lines = host.log_lines();
    assert!(lines.iter().any(|l| l.ends_with("api key moved out of host settings storage=file")), "{lines:#?}");
    // The upgrade gives it to the first profile, bound to the base URL it was used with.
    let adopted = host.invoke_plugin(PLUGIN_ID, "adopt_legacy_key", json!({ "profileId": "default", "baseUrl": host.fake_base_url })).expect("adopt");
    assert_eq!(adopted, json!({ "ok": true, "adopted": true, "storage": "file" }));
    assert!(!key_file.exists(), "the earlier entry is gone");
    let status = host.invoke_plugin(PLUGIN_ID, "api_key_status", json!({ "profileId": "default" })).expect("status");
    assert_eq!(status, json!({ "ok": true, "apiKeySet": true, "storage": "file" }));
    let profile_file = key_file.with_file_name("custom-endpoint-api-key.default.json");
    assert!(std::fs::read_to_string(&profile_file).expect("the profile's key file").contains(key));
    assert!(!host.log_lines().concat().contains(key));
}

#[test]
fn the_managed_gateway_follows_the_simulated_session_and_queued_faults() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &["--session", "signedOut"]);
    let request = json!({ "pluginId": PLUGIN_ID, "request": { "model": "gpt-image-1", "prompt": "a lighthouse", "n": 2 } }).to_string();

    let (status, message) = host.post_raw("/host/gateway/generate", &request);
    assert_eq!(status, 401);
    assert!(message.contains("Sign in"), "{message}");
    // The free saved-output listing goes through the same session: refused alike, with sign-in wording.
    let (status, message) = host.get(&format!("/host/gateway/outputs?pluginId={PLUGIN_ID}&limit=5"));
    assert_eq!(status, 401);
    assert!(message.contains("Sign in"), "{message}");
    assert_eq!(host.get("/host/session").1, json!({ "session": "signedOut", "devHostOnly": true }).to_string());

    assert_eq!(host.post_raw("/host/session", r#"{"session":"enterprise"}"#).0, 200);
    let (status, body) = host.post_raw("/host/gateway/generate", &request);
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["data"].as_array().map(Vec::len), Some(2));
    let assets = answer["hf_output_assets"].as_array().expect("assets listed");
    assert_eq!(assets.len(), 2);
    let (status, listed) = host.get(&format!("/host/gateway/outputs?pluginId={PLUGIN_ID}&limit=1"));
    assert_eq!(status, 200);
    assert_eq!(serde_json::from_str::<Value>(&listed).unwrap()["outputs"].as_array().map(Vec::len), Some(1));

    let edit = json!({ "pluginId": PLUGIN_ID, "request": {
        "model": "gpt-image-1", "prompt": "the lighthouse at night",
        "images": [{ "field_name": "image[]", "file_name": "ref.png", "content_type": "image/png", "b64_json": tiny_png_b64() }],
        "mask": { "field_name": "mask", "file_name": "ref-mask.png", "content_type": "image/png", "b64_json": tiny_png_b64() },
    } });
    let (status, body) = host.post_raw("/host/gateway/edit", &edit.to_string());
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["hf_output_assets"][0]["endpoint"], json!("/v1/images/edits"));

    assert_eq!(host.post_raw("/host/gateway/faults", r#"{"faults":["rate-limit:2"]}"#).0, 200);
    let (status, message) = host.post_raw("/host/gateway/generate", &request);
    assert_eq!(status, 429, "{message}");
    assert!(message.contains("HTTP 429"), "{message}");
    assert_eq!(host.post_raw("/host/gateway/generate", &request).0, 200, "a fault applies to one request only");
    assert_eq!(host.post_raw("/host/gateway/faults", r#"{"faults":["no-such-fault"]}"#).0, 400);
}

#[test]
fn a_queued_partial_answer_withholds_images_and_a_sign_out_during_a_slow_call_rejects_it() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &["--session", "cloud"]);
    let request = json!({ "pluginId": PLUGIN_ID, "request": { "model": "gpt-image-1", "prompt": "a lighthouse", "n": 3 } }).to_string();

    assert_eq!(host.post_raw("/host/gateway/faults", r#"{"faults":["partial:1","latency=1500"]}"#).0, 200);
    assert_eq!(host.get("/host/gateway/faults").1, json!({ "queued": ["partial:1", "latency=1500"] }).to_string());
    let (status, body) = host.post_raw("/host/gateway/generate", &request);
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["data"].as_array().map(Vec::len), Some(1));
    assert_eq!(answer["hf_output_assets"].as_array().map(Vec::len), Some(1));

    // The next call waits 1.5 s upstream; the session ends meanwhile.
    std::thread::scope(|scope| {
        let call = scope.spawn(|| host.post_raw("/host/gateway/generate", &request));
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(host.post_raw("/host/session", r#"{"session":"signedOut"}"#).0, 200);
        let (status, message) = call.join().unwrap();
        assert_eq!(status, 401, "{message}");
        assert!(message.contains("Sign in") && message.contains("session ended"), "{message}");
    });
    assert!(host.log_lines().iter().any(|line| line.contains("managed gateway request failed") && line.contains("status=401")));
    assert_eq!(host.post_raw("/host/gateway/faults", r#"{"faults":["partial:few"]}"#).0, 400);
}

fn raw_get(origin: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(origin.trim_start_matches("http://")).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn the_page_and_bundle_are_served_under_a_strict_content_security_policy() {
    let home = tempfile::tempdir().unwrap();
    let page = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(page.path().join("index.html"), "<!doctype html><title>dev</title>").unwrap();
    std::fs::write(dist.path().join("index.js"), "/* bundle */").unwrap();
    let page_dir = page.path().to_str().unwrap();
    let dist_dir = dist.path().to_str().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &["--page", page_dir, "--dist", dist_dir]);
    let response = reqwest::blocking::get(format!("{}/", host.origin)).unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-eval") && !csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    assert_eq!(response.text().unwrap(), "<!doctype html><title>dev</title>");
    assert_eq!(host.get("/plugin/index.js"), (200, "/* bundle */".to_string()));
    assert_eq!(host.get("/plugin/styles.css").0, 404, "a missing build output is named, not invented");
    // Sent raw: an HTTP client would normalize the dots away. Without the guard this would
    // serve page/index.html from outside page/assets.
    let raw = raw_get(&host.origin, "/assets/../index.html");
    assert!(raw.starts_with("HTTP/1.1 400"), "paths leaving the served directory are refused: {raw}");
    let cross_site = reqwest::blocking::Client::new()
        .post(format!("{}/invoke/frontend_log_event", host.origin))
        .header("origin", "https://evil.example")
        .body("{}")
        .send()
        .unwrap();
    assert_eq!(cross_site.status().as_u16(), 403, "other sites cannot drive the dev host");
}

#[test]
fn the_save_dialog_stand_in_answers_a_path_in_the_dev_data_directory_and_pickers_cancel() {
    let home = tempfile::tempdir().unwrap();
    let host = Devhost::start(home.path(), &plugin_library(), &[]);
    let saved = host.invoke("devkit_save_file", json!({ "title": "Save image", "defaultName": "../../escape/fox.png" })).unwrap();
    let expected = home.path().join(".haloforge").join("devhost").join("saved").join("fox.png");
    assert_eq!(saved, json!(expected.display().to_string()), "only the file name is kept");
    assert!(expected.parent().unwrap().is_dir());
    assert_eq!(host.invoke("devkit_pick_file", json!({})), Ok(Value::Null));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_devhost_cleanly() {
    let home = tempfile::tempdir().unwrap();
    let mut host = Devhost::start(home.path(), &plugin_library(), &[]);
    assert!(host.invoke_plugin(PLUGIN_ID, "ping", json!({})).is_ok());
    let interrupted = std::process::Command::new("kill").args(["-INT", &host.child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = host.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the devhost stops within 10 s of Ctrl+C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    let lines = host.log_lines();
    let unloaded = lines.iter().position(|l| l.ends_with(&format!("devhost: plugin unloaded plugin={PLUGIN_ID}")));
    let stopped = lines.iter().position(|l| l.ends_with("devhost: dev host stopped"));
    assert!(unloaded.is_some() && stopped.is_some(), "the plugin was unloaded, then the host stopped: {lines:#?}");
    assert!(unloaded < stopped);
}
