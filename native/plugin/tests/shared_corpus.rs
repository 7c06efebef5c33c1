//! The shared corpus `tests/fixtures/shared-rules.json`: the native base URL normalization and
//! redaction must give exactly the answers the panel's TypeScript gives (vitest runs the same file).

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
            let got = match Endpoint::check(input, allow) {
                Ok(endpoint) => serde_json::json!({ "normalized": endpoint.base().as_str() }),
                Err(problem) => serde_json::json!({ "problem": problem.as_str() }),
            };
            (got != case["expect"]).then(|| format!("{input:?}: expected {}, got {got}", case["expect"]))
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
