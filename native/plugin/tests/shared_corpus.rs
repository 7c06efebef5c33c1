//! The shared corpus `tests/fixtures/shared-rules.json`: every rule the native backend and the
//! panel's TypeScript both implement gives exactly the corpus answers here (vitest runs the same
//! file). Each case's answer is `expect`; where a case carries a `native` answer, that one is the
//! library's (the section's `about` in the corpus says why).
//!
//! The functions under "The native answers" are the only places that call the crate.

use serde_json::{json, Value};

use managed_image_gateway::{
    generation_body, http_error, Echo, is_acceptable_image_url, redact, stream_partials, EditRequest, Endpoint, Error, GenerateRequest, InboundResponse,
    Redactor, ResponsesRequest, Usage, REASONS,
};

// ---- The native answers ----

fn base_url_answer(input: &str, allow_insecure_http: bool) -> Value {
    match Endpoint::check(input, allow_insecure_http) {
        Ok(endpoint) => json!({ "normalized": endpoint.base().as_str() }),
        Err(problem) => json!({ "problem": problem.as_str() }),
    }
}

fn ok_or_refused(result: Result<impl Sized, Error>) -> &'static str {
    if result.is_ok() { "ok" } else { "refused" }
}

/// One valid PNG file (the 8-byte signature and more), as the commands take it.
const PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB";

fn limit_answer(rule: &str, value: u64) -> &'static str {
    let generate = |extra: Value| {
        let mut request = json!({ "model": "gpt-image-1", "prompt": "a fox" });
        request.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value::<GenerateRequest>(request).expect("a generate request")
    };
    match rule {
        "promptChars" => ok_or_refused(generate(json!({ "prompt": "x".repeat(value as usize) })).validate()),
        "n" => ok_or_refused(generate(json!({ "n": value })).validate()),
        "responsesN" => {
            let request: ResponsesRequest = serde_json::from_value(json!({ "model": "gpt-4.1", "prompt": "a fox", "n": value })).unwrap();
            ok_or_refused(request.validate())
        }
        "editImages" => {
            let image = json!({ "file_name": "ref.png", "content_type": "image/png", "b64_json": PNG_BASE64 });
            let images = vec![image; value as usize];
            let request: EditRequest = serde_json::from_value(json!({ "model": "gpt-image-1", "prompt": "a fox", "images": images })).unwrap();
            ok_or_refused(request.validate())
        }
        "compression" => ok_or_refused(generate(json!({ "output_format": "jpeg", "output_compression": value })).validate()),
        "partialImages" => ok_or_refused(stream_partials(true, Some(value as u32))),
        "seed" => ok_or_refused(generate(json!({ "seed": value })).validate()),
        other => panic!("no limit named {other}"),
    }
}

fn compression_sent_answer(case: &Value) -> Value {
    let mut request = json!({ "model": "gpt-image-1", "prompt": "a fox" });
    if let Some(format) = case.get("outputFormat") {
        request["output_format"] = format.clone();
    }
    if let Some(compression) = case.get("outputCompression") {
        request["output_compression"] = compression.clone();
    }
    let request: GenerateRequest = serde_json::from_value(request).unwrap();
    let body: Value = serde_json::from_slice(&generation_body(&request, None)).unwrap();
    body.get("output_compression").cloned().unwrap_or(Value::Null)
}

fn output_url_answer(url: &str) -> &'static str {
    if is_acceptable_image_url(url) { "accepted" } else { "refused" }
}

/// The wire error object the native side answers for an HTTP status with an empty body.
fn failure_answer(status: u16) -> Value {
    let response = InboundResponse { status, ..Default::default() };
    http_error(&response, &Redactor::default()).to_json(&Redactor::default())
}

fn usage_answer(usage: &Value) -> Value {
    Usage::read(usage).map_or(Value::Null, |usage| usage.to_json())
}

fn echo_answer(answer: &Value) -> Value {
    Echo::read(answer, &Redactor::default()).map_or(Value::Null, |echo| echo.to_json())
}

// ---- The corpus ----

fn corpus() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/shared-rules.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the shared corpus")).expect("valid JSON")
}

fn cases<'a>(corpus: &'a Value, section: &str) -> &'a Vec<Value> {
    corpus[section].as_array().unwrap_or_else(|| panic!("a {section} section"))
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

/// The answer the native side must give: `native` where the case has one, else `expect`.
fn expected(case: &Value) -> &Value {
    if case.get("native").is_some() { &case["native"] } else { &case["expect"] }
}

fn assert_no_mismatches(mismatches: Vec<String>) {
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn base_urls_normalize_or_are_refused_exactly_as_the_corpus_says() {
    let corpus = corpus();
    let cases = cases(&corpus, "baseUrl");
    assert!(cases.len() >= 60, "{} base URL cases", cases.len());
    assert_no_mismatches(
        cases
            .iter()
            .filter_map(|case| {
                let input = text(&case["input"]);
                let got = base_url_answer(input, case["allowInsecureHttp"].as_bool().unwrap_or(false));
                (&got != expected(case)).then(|| format!("{input:?}: expected {}, got {got}", expected(case)))
            })
            .collect(),
    );
}

/// The panel sends its normalized URL (punycode for an international host name): the library
/// must take each one as it is.
#[test]
fn every_url_the_panel_normalizes_is_taken_unchanged() {
    let corpus = corpus();
    assert_no_mismatches(
        cases(&corpus, "baseUrl")
            .iter()
            .filter_map(|case| {
                let normalized = case["expect"]["normalized"].as_str()?;
                let got = base_url_answer(normalized, case["allowInsecureHttp"].as_bool().unwrap_or(false));
                (got["normalized"] != normalized).then(|| format!("{normalized:?}: got {got}"))
            })
            .collect(),
    );
}

#[test]
fn redaction_gives_exactly_the_corpus_output() {
    let corpus = corpus();
    let cases = cases(&corpus, "redaction");
    assert!(cases.len() >= 40, "{} redaction cases", cases.len());
    assert_no_mismatches(
        cases
            .iter()
            .filter_map(|case| {
                let input = text(&case["text"]);
                let secrets: Vec<&str> = case["secrets"].as_array().map(|s| s.iter().map(text).collect()).unwrap_or_default();
                let got = redact(input, &secrets);
                (got != text(expected(case))).then(|| format!("{input:?}: expected {}, got {got:?}", expected(case)))
            })
            .collect(),
    );
}

#[test]
fn limits_accept_and_refuse_exactly_as_the_corpus_says() {
    let corpus = corpus();
    assert_no_mismatches(
        cases(&corpus, "limits")
            .iter()
            .filter_map(|case| {
                let (rule, value) = (text(&case["rule"]), case["value"].as_u64().expect("a count"));
                let got = limit_answer(rule, value);
                (got != text(expected(case))).then(|| format!("{rule} {value}: expected {}, got {got}", expected(case)))
            })
            .collect(),
    );
}

#[test]
fn compression_is_sent_only_as_the_corpus_says() {
    let corpus = corpus();
    assert_no_mismatches(
        cases(&corpus, "compressionSent")
            .iter()
            .filter_map(|case| {
                let got = compression_sent_answer(case);
                (&got != expected(case)).then(|| format!("{case}: got {got}"))
            })
            .collect(),
    );
}

#[test]
fn output_image_urls_are_accepted_or_refused_as_the_corpus_says() {
    let corpus = corpus();
    assert_no_mismatches(
        cases(&corpus, "outputUrl")
            .iter()
            .filter_map(|case| {
                let url = text(&case["url"]);
                let got = output_url_answer(url);
                (got != text(expected(case))).then(|| format!("{url:?}: expected {}, got {got}", expected(case)))
            })
            .collect(),
    );
}

#[test]
fn http_failures_become_the_corpus_wire_objects() {
    let corpus = corpus();
    let codes: Vec<&str> = corpus["failures"]["codes"].as_array().expect("codes").iter().map(text).collect();
    let reasons: Vec<&str> = corpus["failures"]["reasons"].as_array().expect("reasons").iter().map(text).collect();
    assert_eq!(REASONS.to_vec(), reasons);
    assert_no_mismatches(
        cases(&corpus, "failureCases")
            .iter()
            .filter_map(|case| {
                let status = case["status"].as_u64()? as u16;
                let got = failure_answer(status);
                let wire = case["wire"].as_object().expect("a wire object");
                let known = codes.contains(&text(&got["code"]));
                let same = wire.iter().all(|(key, value)| &got[key] == value) && got.get("reason").is_some() == wire.contains_key("reason");
                (!known || !same).then(|| format!("HTTP {status}: expected {}, got {got}", case["wire"]))
            })
            .collect(),
    );
}

#[test]
fn usage_is_read_into_the_corpus_shape() {
    let corpus = corpus();
    assert_no_mismatches(
        cases(&corpus, "usage")
            .iter()
            .filter_map(|case| {
                let got = usage_answer(&case["usage"]);
                (&got != expected(case)).then(|| format!("{}: expected {}, got {got}", case["usage"], expected(case)))
            })
            .collect(),
    );
}

#[test]
fn echoes_are_read_into_the_corpus_shape() {
    let corpus = corpus();
    assert_no_mismatches(
        cases(&corpus, "echo")
            .iter()
            .filter_map(|case| {
                let got = echo_answer(&case["answer"]);
                (&got != expected(case)).then(|| format!("{}: expected {}, got {got}", case["answer"], expected(case)))
            })
            .collect(),
    );
}
