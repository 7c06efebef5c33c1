//! Token usage as the endpoint reports it, read into one typed shape for both APIs.
//!
//! Images API: `{ input_tokens, output_tokens, total_tokens, input_tokens_details: { text_tokens,
//! image_tokens }, output_tokens_details?: { text_tokens, image_tokens } }`. Responses API:
//! `{ input_tokens, input_tokens_details: { cached_tokens }, output_tokens, output_tokens_details:
//! { reasoning_tokens }, total_tokens }`. Only non-negative integer counts are kept; anything
//! else in the provider's object is dropped, and an object without one readable count is none.

use serde_json::{Map, Value};

/// Token counts; every field is optional because providers send subsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Tokens read (prompt text and input images).
    pub input_tokens: Option<u64>,
    /// Tokens written (images, and partial images when streaming).
    pub output_tokens: Option<u64>,
    /// Their sum as the provider counts it.
    pub total_tokens: Option<u64>,
    /// Input: text part.
    pub input_text_tokens: Option<u64>,
    /// Input: image part.
    pub input_image_tokens: Option<u64>,
    /// Input: served from the provider's cache (Responses API).
    pub input_cached_tokens: Option<u64>,
    /// Output: text part.
    pub output_text_tokens: Option<u64>,
    /// Output: image part.
    pub output_image_tokens: Option<u64>,
    /// Output: reasoning (Responses API).
    pub output_reasoning_tokens: Option<u64>,
}

fn count(value: &Value, pointer: &str) -> Option<u64> {
    value.pointer(pointer).and_then(Value::as_u64)
}

impl Usage {
    /// Reads a provider `usage` object; `None` when it is not an object or has no count.
    pub fn read(value: &Value) -> Option<Usage> {
        if !value.is_object() {
            return None;
        }
        let usage = Usage {
            input_tokens: count(value, "/input_tokens"),
            output_tokens: count(value, "/output_tokens"),
            total_tokens: count(value, "/total_tokens"),
            input_text_tokens: count(value, "/input_tokens_details/text_tokens"),
            input_image_tokens: count(value, "/input_tokens_details/image_tokens"),
            input_cached_tokens: count(value, "/input_tokens_details/cached_tokens"),
            output_text_tokens: count(value, "/output_tokens_details/text_tokens"),
            output_image_tokens: count(value, "/output_tokens_details/image_tokens"),
            output_reasoning_tokens: count(value, "/output_tokens_details/reasoning_tokens"),
        };
        (usage != Usage::default()).then_some(usage)
    }

    /// Field-wise sum (a count missing on both sides stays missing).
    pub fn add(self, other: Usage) -> Usage {
        let sum = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        };
        Usage {
            input_tokens: sum(self.input_tokens, other.input_tokens),
            output_tokens: sum(self.output_tokens, other.output_tokens),
            total_tokens: sum(self.total_tokens, other.total_tokens),
            input_text_tokens: sum(self.input_text_tokens, other.input_text_tokens),
            input_image_tokens: sum(self.input_image_tokens, other.input_image_tokens),
            input_cached_tokens: sum(self.input_cached_tokens, other.input_cached_tokens),
            output_text_tokens: sum(self.output_text_tokens, other.output_text_tokens),
            output_image_tokens: sum(self.output_image_tokens, other.output_image_tokens),
            output_reasoning_tokens: sum(self.output_reasoning_tokens, other.output_reasoning_tokens),
        }
    }

    /// Sums two optional usages.
    pub fn merge(a: Option<Usage>, b: Option<Usage>) -> Option<Usage> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.add(b)),
            (a, b) => a.or(b),
        }
    }

    /// The wire shape: OpenAI's field names, only the counts that are known.
    pub fn to_json(&self) -> Value {
        fn put(map: &mut Map<String, Value>, key: &str, value: Option<u64>) {
            if let Some(v) = value {
                map.insert(key.into(), Value::from(v));
            }
        }
        let mut out = Map::new();
        put(&mut out, "input_tokens", self.input_tokens);
        put(&mut out, "output_tokens", self.output_tokens);
        put(&mut out, "total_tokens", self.total_tokens);
        let mut input = Map::new();
        put(&mut input, "text_tokens", self.input_text_tokens);
        put(&mut input, "image_tokens", self.input_image_tokens);
        put(&mut input, "cached_tokens", self.input_cached_tokens);
        if !input.is_empty() {
            out.insert("input_tokens_details".into(), Value::Object(input));
        }
        let mut output = Map::new();
        put(&mut output, "text_tokens", self.output_text_tokens);
        put(&mut output, "image_tokens", self.output_image_tokens);
        put(&mut output, "reasoning_tokens", self.output_reasoning_tokens);
        if !output.is_empty() {
            out.insert("output_tokens_details".into(), Value::Object(output));
        }
        Value::Object(out)
    }

    /// `key=value` pairs for the succeeded log line (counts only).
    pub fn log_fields(&self) -> Vec<(&'static str, String)> {
        [("input_tokens", self.input_tokens), ("output_tokens", self.output_tokens), ("total_tokens", self.total_tokens)]
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| (key, v.to_string())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_api_shapes_are_read_and_foreign_fields_dropped() {
        let images = json!({ "input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
            "input_tokens_details": { "text_tokens": 40, "image_tokens": 10 }, "cost": "$1" });
        let read = Usage::read(&images).unwrap();
        assert_eq!(read.to_json(), json!({ "input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
            "input_tokens_details": { "text_tokens": 40, "image_tokens": 10 } }));
        let responses = json!({ "input_tokens": 12, "input_tokens_details": { "cached_tokens": 0 }, "output_tokens": 30,
            "output_tokens_details": { "reasoning_tokens": 5 }, "total_tokens": 42 });
        assert_eq!(Usage::read(&responses).unwrap().to_json(), responses);
    }

    #[test]
    fn negative_fractional_or_text_counts_are_not_counts() {
        assert_eq!(Usage::read(&json!({ "input_tokens": -1, "output_tokens": 1.5, "total_tokens": "9" })), None);
        assert_eq!(Usage::read(&json!("lots")), None);
        let partial = Usage::read(&json!({ "input_tokens": -1, "output_tokens": 7 })).unwrap();
        assert_eq!(partial.to_json(), json!({ "output_tokens": 7 }));
    }

    #[test]
    fn sums_keep_missing_counts_missing() {
        let a = Usage { input_tokens: Some(1), ..Default::default() };
        let b = Usage { input_tokens: Some(2), output_tokens: Some(3), ..Default::default() };
        assert_eq!(Usage::merge(Some(a), Some(b)).unwrap().to_json(), json!({ "input_tokens": 3, "output_tokens": 3 }));
        assert_eq!(Usage::merge(None, Some(a)), Some(a));
    }
}
