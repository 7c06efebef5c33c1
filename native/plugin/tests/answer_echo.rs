//! What each dialect's answer says it made reaches the command's answer as `echo` (camelCase,
//! beside `result`): OpenAI's echoed size, quality, format and background (Images API plain and
//! streamed, edits in both uploads, the Responses API's image calls, Azure), SiliconFlow's seed;
//! providers that echo nothing (Gemini, chat completions, DALL·E) answer without one.

mod support;

use fake_provider::{Config, FakeProvider};
use serde_json::{json, Value};
use support::{Host, PNG_B64};

const KEY: &str = "sk-echo-test-0123456789";

fn setup() -> (FakeProvider, Host) {
    let provider = FakeProvider::start(Config { api_key: Some(KEY.into()), ..Config::default() });
    let host = Host::load();
    for profile in ["openai", "azure", "sf", "gemini", "chat"] {
        let saved = host.invoke("set_api_key", json!({ "profileId": profile, "baseUrl": provider.origin(), "apiKey": KEY })).unwrap();
        assert_eq!(saved["ok"], true, "{saved}");
    }
    (provider, host)
}

fn endpoint(provider: &FakeProvider, profile: &str, options: &str, dialect: &str) -> Value {
    json!({ "profileId": profile, "baseUrl": format!("{}/fake/{options}/v1", provider.origin()), "dialect": dialect, "auth": "bearer" })
}

/// The answer's echo, after checking it succeeded.
fn echo_of(host: &Host, command: &str, endpoint: Value, request: Value, stream: bool) -> Value {
    let mut args = json!({ "requestId": format!("echo-{command}"), "endpoint": endpoint, "request": request });
    if stream {
        args["stream"] = json!(true);
        args["partialImages"] = json!(1);
    }
    let answer = host.invoke(command, args).expect("well-formed call");
    assert_eq!(answer["ok"], true, "{answer}");
    assert!(answer["result"].get("size").is_none(), "the result keeps OpenAI's shape: {answer}");
    answer.get("echo").cloned().unwrap_or(Value::Null)
}

fn image() -> Value {
    json!({ "file_name": "cat.png", "content_type": "image/png", "b64_json": PNG_B64 })
}

#[test]
fn the_images_api_echo_arrives_plain_streamed_and_from_both_edit_uploads() {
    let (provider, host) = setup();
    let openai = endpoint(&provider, "openai", "latency=0", "images");
    let asked = json!({ "model": "gpt-image-2", "prompt": "a fox", "size": "1536x1024", "quality": "high", "output_format": "webp", "background": "opaque" });
    let expected = json!({ "size": "1536x1024", "quality": "high", "outputFormat": "webp", "background": "opaque" });
    assert_eq!(echo_of(&host, "generate_images", openai.clone(), asked.clone(), false), expected);

    let mut two = asked.clone();
    two["n"] = json!(2);
    assert_eq!(echo_of(&host, "generate_images", openai.clone(), two, true), expected, "streamed: each completed event echoes");

    // `auto` comes back resolved.
    let auto = json!({ "model": "gpt-image-1", "prompt": "a hat", "images": [image()], "size": "auto", "quality": "auto" });
    let resolved = json!({ "size": "1024x1024", "quality": "medium", "outputFormat": "png", "background": "opaque" });
    assert_eq!(echo_of(&host, "edit_images", openai.clone(), auto.clone(), false), resolved, "multipart edit");
    let mut json_upload = openai.clone();
    json_upload["editUpload"] = json!("json");
    assert_eq!(echo_of(&host, "edit_images", json_upload, auto, false), resolved, "JSON edit");

    // An upstream that ignored the size and quality says what it made instead.
    let ignoring = endpoint(&provider, "openai", "ignore-options", "images");
    assert_eq!(echo_of(&host, "generate_images", ignoring, asked, false)["quality"], "medium");
}

#[test]
fn the_responses_image_calls_echo_plain_streamed_and_merged_over_parallel_calls() {
    let (provider, host) = setup();
    let responses = endpoint(&provider, "openai", "latency=0", "responses");
    let asked = json!({ "model": "gpt-4.1", "prompt": "a fox", "size": "1024x1536", "quality": "low", "n": 2 });
    let expected = json!({ "size": "1024x1536", "quality": "low", "outputFormat": "png", "background": "opaque" });
    assert_eq!(echo_of(&host, "generate_via_responses", responses.clone(), asked.clone(), false), expected);
    assert_eq!(echo_of(&host, "generate_via_responses", responses, asked, true), expected);
}

#[test]
fn azure_echoes_as_openai_does() {
    let (provider, host) = setup();
    let azure = json!({ "profileId": "azure", "baseUrl": format!("{}/fake/mode=azure", provider.origin()), "dialect": "azure", "auth": "api-key",
        "deployment": "img", "apiVersion": "2025-04-01-preview" });
    let echo = echo_of(&host, "generate_images", azure, json!({ "model": "gpt-image-1", "prompt": "a fox", "quality": "high" }), false);
    assert_eq!(echo["quality"], "high", "{echo}");
}

#[test]
fn siliconflow_answers_the_seed_it_used_asked_or_chosen() {
    let (provider, host) = setup();
    let sf = endpoint(&provider, "sf", "mode=siliconflow", "siliconflow");
    let asked = echo_of(&host, "generate_images", sf.clone(), json!({ "model": "Kwai-Kolors/Kolors", "prompt": "a fox", "size": "1024x1024", "seed": 7 }), false);
    assert_eq!(asked, json!({ "seed": 7 }));
    let chosen = echo_of(&host, "generate_images", sf, json!({ "model": "Kwai-Kolors/Kolors", "prompt": "a fox", "size": "1024x1024" }), false);
    assert_eq!(chosen, json!({ "seed": 4_242_424_242u64 }));
}

#[test]
fn providers_that_echo_nothing_answer_without_an_echo() {
    let (provider, host) = setup();
    let gemini = endpoint(&provider, "gemini", "mode=gemini", "images");
    assert_eq!(echo_of(&host, "generate_images", gemini, json!({ "model": "imagen-4.0-generate-001", "prompt": "a fox", "response_format": "b64_json" }), false), Value::Null);
    let chat = endpoint(&provider, "chat", "mode=chat", "chat");
    assert_eq!(echo_of(&host, "generate_images", chat, json!({ "model": "google/gemini-2.5-flash-image", "prompt": "a fox" }), false), Value::Null);
    let openai = endpoint(&provider, "openai", "latency=0", "images");
    assert_eq!(echo_of(&host, "generate_images", openai, json!({ "model": "dall-e-3", "prompt": "a fox", "size": "1024x1024" }), false), Value::Null);
}
