//! The shared corpus `tests/fixtures/shared-rules.json`: the native base URL normalization and
//! redaction must give exactly the answers the panel's TypeScript gives (vitest runs the same file).
//! Where a case carries a `native` answer, that one is the library's (a host name outside ASCII).

use managed_image_gateway::endpoint::Endpoint;
use managed_image_gateway::redact::redact;
use serde_json::Value;

fn corpus() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/shared-rules.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the shared corpus")).expect("valid JSON")
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

#[test]
fn base_urls_normalize_or_are_refused_exactly_as_the_corpus_says() {
    let corpus = corpus();
    let cases = corpus["baseUrl"].as_array().expect("baseUrl cases");
    assert!(cases.len() >= 60, "{} base URL cases", cases.len());
    let mismatches: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let input = text(&case["input"]);
            let allow = case["allowInsecureHttp"].as_bool().unwrap_or(false);
            let expected = if case["native"].is_null() { &case["expect"] } else { &case["native"] };
            let got = answer(input, allow);
            (&got != expected).then(|| format!("{input:?}: expected {expected}, got {got}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

fn answer(input: &str, allow_insecure_http: bool) -> Value {
    match Endpoint::check(input, allow_insecure_http) {
        Ok(endpoint) => serde_json::json!({ "normalized": endpoint.base().as_str() }),
        Err(problem) => serde_json::json!({ "problem": problem.as_str() }),
    }
}

/// The panel sends its normalized URL (punycode for an international host name): the library
/// must take each one as it is.
#[test]
fn every_url_the_panel_normalizes_is_taken_unchanged() {
    let corpus = corpus();
    let mismatches: Vec<String> = corpus["baseUrl"]
        .as_array()
        .expect("baseUrl cases")
        .iter()
        .filter_map(|case| {
            let normalized = case["expect"]["normalized"].as_str()?;
            let got = answer(normalized, case["allowInsecureHttp"].as_bool().unwrap_or(false));
            (got["normalized"] != normalized).then(|| format!("{normalized:?}: got {got}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn redaction_gives_exactly_the_corpus_output() {
    let corpus = corpus();
    let cases = corpus["redaction"].as_array().expect("redaction cases");
    assert!(cases.len() >= 40, "{} redaction cases", cases.len());
    let mismatches: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let input = text(&case["text"]);
            let secrets: Vec<&str> = case["secrets"].as_array().map(|s| s.iter().map(text).collect()).unwrap_or_default();
            let got = redact(input, &secrets);
            (got != text(&case["expected"])).then(|| format!("{input:?}: expected {:?}, got {got:?}", case["expected"]))
        })
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}
