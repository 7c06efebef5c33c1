//! Contract test: our real HTTP requests against Prism serving OpenAI's own published spec
//! (`tests/fixtures/contracts/openai-images.openapi.yaml`, vendored). Prism validates request bodies (JSON and
//! multipart) and auth; a 200 means our request is valid by OpenAI's schema.
//!
//! Needs `node_modules/.bin/prism` (npm devDependency @stoplight/prism-cli 5.14.2, installed by
//! `npm install`) and the spec (see [`contract_spec`]). Either missing fails the test with
//! instructions instead of skipping it.

mod support;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{generate_args, Host, PNG_B64};

/// Kills Prism however the test ends.
struct Prism {
    child: Child,
    port: u16,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root")
}

/// The spec: `$OPENAI_IMAGES_SPEC` when set (to try another version of it), else the copy
/// vendored in the repository under `tests/fixtures/contracts/`.
fn contract_spec(root: &std::path::Path) -> PathBuf {
    const NAME: &str = "openai-images.openapi.yaml";
    let candidates: Vec<PathBuf> = std::env::var_os("OPENAI_IMAGES_SPEC")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join("tests/fixtures/contracts").join(NAME)])
        .collect();
    candidates.iter().find(|p| p.is_file()).cloned().unwrap_or_else(|| {
        panic!("the OpenAI contract {NAME} was not found; looked at {candidates:?}. Set OPENAI_IMAGES_SPEC to its path.")
    })
}

fn start_prism() -> Prism {
    let root = repo_root();
    let prism = root.join("node_modules/.bin/prism");
    let spec = contract_spec(&root);
    assert!(
        prism.exists(),
        "Prism is missing at {}. Run `npm install` in the repository root (it installs the devDependency @stoplight/prism-cli 5.14.2), then rerun the tests.",
        prism.display()
    );
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // The .bin entry is a node script: spawning it directly gives one node process to kill
    // (npx would leave a grandchild holding the port).
    let mut child = Command::new(&prism)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string(), "--errors"])
        .arg(&spec)
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", prism.display()));
    // Drain stdout so Prism never blocks on a full pipe.
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    let prism = Prism { child, port };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "Prism did not listen on port {port} within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    prism
}

fn ok(answer: &Value, what: &str) {
    assert_eq!(answer["ok"], true, "{what}: {answer}");
    let data = answer["result"]["data"].as_array().unwrap_or_else(|| panic!("{what}: no data: {answer}"));
    assert!(!data.is_empty(), "{what}: {answer}");
    let b64 = data[0]["b64_json"].as_str().unwrap_or_else(|| panic!("{what}: no b64_json: {answer}"));
    assert!(b64.starts_with("iVBORw0KGgo"), "{what}: not a PNG: {b64}");
}

#[test]
fn our_requests_are_valid_by_openais_published_spec() {
    let prism = start_prism();
    let base = format!("http://127.0.0.1:{}/v1", prism.port);
    let host = Host::load();
    assert_eq!(host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": base, "apiKey": "sk-contract-test-key-0001" })).unwrap()["ok"], true);
    let responses_args = |id: &str, request: Value| {
        json!({ "requestId": id, "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "responses", "auth": "bearer" }, "request": request, "timeoutMs": 30000 })
    };

    // The first /responses call makes Prism compile its schemas (1.5 s); take that hit first.
    let warm = host.invoke("generate_via_responses", responses_args("warm", json!({ "model": "gpt-4.1", "prompt": "warm up" }))).unwrap();
    ok(&warm, "responses warm-up");

    let minimal = host.invoke("generate_images", generate_args("gen-min", &base, json!({ "model": "gpt-image-1", "prompt": "A HaloForge plugin icon." }))).unwrap();
    ok(&minimal, "minimal generation");
    assert!(minimal["providerRequestId"].as_str().unwrap().starts_with("req_"), "{minimal}");

    let full = host
        .invoke("generate_images", generate_args("gen-full", &base, json!({
            "model": "gpt-image-1", "prompt": "A lighthouse at dusk.", "size": "1024x1024", "n": 2, "quality": "high",
            "output_format": "webp", "output_compression": 80, "moderation": "low", "background": "opaque", "user": "user-1"
        })))
        .unwrap();
    ok(&full, "generation with every option");

    let image = |name: &str| json!({ "file_name": name, "content_type": "image/png", "b64_json": PNG_B64 });
    let edit = host
        .invoke("edit_images", json!({
            "requestId": "edit", "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "images", "auth": "bearer" },
            "request": { "model": "gpt-image-1", "prompt": "Add a hat.", "images": [image("cat.png"), image("dog.png")],
                         "mask": { "file_name": "m.png", "b64_json": PNG_B64 }, "size": "1024x1024", "n": 1, "quality": "medium",
                         "output_format": "png", "input_fidelity": "high" }
        }))
        .unwrap();
    ok(&edit, "multipart edit with two images and a mask");

    let single = host
        .invoke("edit_images", json!({
            "requestId": "edit-single", "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "images", "auth": "bearer" },
            "request": { "prompt": "Make it blue.", "images": [{ "field_name": "image", "file_name": "a.png", "b64_json": PNG_B64 }] }
        }))
        .unwrap();
    ok(&single, "multipart edit with a single `image` part");

    // The JSON form of edits (`editUpload: "json"`): images and mask as `image_url` data URLs.
    let json_edit = host
        .invoke("edit_images", json!({
            "requestId": "edit-json", "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "images", "auth": "bearer", "editUpload": "json" },
            "request": { "model": "gpt-image-1", "prompt": "Add a hat.", "images": [image("cat.png"), image("dog.png")],
                         "mask": { "file_name": "m.png", "b64_json": PNG_B64 }, "size": "1024x1024", "quality": "medium",
                         "output_format": "webp", "output_compression": 70, "input_fidelity": "high" }
        }))
        .unwrap();
    ok(&json_edit, "JSON edit with two images and a mask");

    let with_refs = host
        .invoke("generate_via_responses", responses_args("resp-refs", json!({
            "model": "gpt-4.1", "image_model": "gpt-image-1", "prompt": "Combine these.", "size": "1024x1024", "quality": "high",
            "output_format": "png", "action": "edit", "images": [image("a.png")], "mask": { "file_name": "m.png", "b64_json": PNG_B64 }
        })))
        .unwrap();
    ok(&with_refs, "responses with a reference image and mask");

    // Streaming requests are valid by the spec: `stream` + `partial_images` on generations and
    // (as form fields) edits, the tool's `partial_images` + `stream` on responses. The spec has
    // no event-stream answers, so Prism answers plain JSON: the plugin uses it as the answer (no
    // second paid call) and says so. A fresh plugin each time: it remembers a non-streaming base URL.
    let stream = |mut args: Value| {
        args["stream"] = json!(true);
        args["partialImages"] = json!(2);
        args
    };
    for (what, command, args) in [
        ("streaming generation", "generate_images", stream(generate_args("gen-stream", &base, json!({ "model": "gpt-image-1", "prompt": "p", "n": 2 })))),
        ("streaming edit", "edit_images", stream(json!({ "requestId": "edit-stream", "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "images", "auth": "bearer" },
            "request": { "model": "gpt-image-1", "prompt": "p", "images": [image("a.png")] } }))),
        ("streaming responses", "generate_via_responses", stream(responses_args("resp-stream", json!({ "model": "gpt-4.1", "prompt": "p" })))),
    ] {
        let fresh = Host::load();
        assert_eq!(fresh.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": base, "apiKey": "sk-contract-test-key-0001" })).unwrap()["ok"], true);
        let answer = fresh.invoke(command, args).unwrap();
        ok(&answer, what);
        assert_eq!(answer["streamFallbackReason"], "plain_answer", "{what}: {answer}");
    }

    // A value outside the spec's enum: Prism answers 422, which is our invalid_request.
    let refused = host.invoke("generate_images", generate_args("gen-bad", &base, json!({ "model": "gpt-image-1", "prompt": "p", "quality": "ultra" }))).unwrap();
    assert_eq!(refused["error"]["code"], "invalid_request", "{refused}");
    assert_eq!(refused["error"]["status"], 422, "{refused}");

    // Without a key no Authorization header is sent, and Prism answers 401.
    assert_eq!(host.invoke("clear_api_key", json!({ "profileId": "default" })).unwrap()["apiKeySet"], false);
    let anonymous = host.invoke("generate_images", generate_args("gen-nokey", &base, json!({ "model": "gpt-image-1", "prompt": "p" }))).unwrap();
    assert_eq!(anonymous["error"]["code"], "unauthorized", "{anonymous}");
    assert_eq!(anonymous["error"]["status"], 401, "{anonymous}");
    let anonymous_edit = host
        .invoke("edit_images", json!({ "requestId": "edit-nokey", "endpoint": { "profileId": "default", "baseUrl": base, "dialect": "images", "auth": "bearer" }, "request": { "prompt": "p", "images": [image("a.png")] } }))
        .unwrap();
    assert_eq!(anonymous_edit["error"]["code"], "unauthorized", "{anonymous_edit}");

    drop(prism);
}
