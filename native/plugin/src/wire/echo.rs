//! What an answer says it made, beside the images: OpenAI's Images API echoes `size`, `quality`,
//! `output_format` and `background` at the top of its answer and in each streamed `….completed`
//! event, the Responses API on each `image_generation_call` item, and SiliconFlow answers the
//! `seed` it used. Only short plain words (`1024x1024`, `high`, `png`) and whole seeds are kept;
//! a value that redaction would change (a key shape, a stored key) is dropped, as is anything
//! else, field by field.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::safety::redact::Redactor;

/// The longest echoed word kept.
const WORD_CHARS: usize = 32;
/// The largest seed kept: the panel reads numbers as doubles, exact up to 2^53 - 1.
const MAX_SEED: u64 = (1 << 53) - 1;

/// The echoed facts; each is `None` when the answer did not say it (or said it unreadably).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Echo {
    /// `WxH` (or a provider's own term such as `2K`).
    pub size: Option<String>,
    /// `low`, `medium`, `high`, or a provider's own.
    pub quality: Option<String>,
    /// `png`, `jpeg`, `webp`.
    pub output_format: Option<String>,
    /// `opaque` or `transparent`.
    pub background: Option<String>,
    /// The seed the provider used.
    pub seed: Option<u64>,
}

/// A word: a letter or digit, then up to 31 letters, digits, `_`, `.`, `:` or `-`.
fn is_word(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && text.len() <= WORD_CHARS
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}

fn word(value: &Value, key: &str, redactor: &Redactor) -> Option<String> {
    value.get(key).and_then(Value::as_str).filter(|text| is_word(text) && redactor.scrub(text) == *text).map(str::to_string)
}

/// The echo fields of a typed answer (`#[serde(flatten)]` into it), read with [`EchoWire::read`].
#[derive(Debug, Default, Deserialize)]
pub struct EchoWire {
    size: Option<Value>,
    quality: Option<Value>,
    output_format: Option<Value>,
    background: Option<Value>,
    seed: Option<Value>,
}

impl EchoWire {
    /// The readable echo, as [`Echo::read`] reads it.
    pub fn read(self, redactor: &Redactor) -> Option<Echo> {
        let fields = [("size", self.size), ("quality", self.quality), ("output_format", self.output_format), ("background", self.background), ("seed", self.seed)];
        let object: Map<String, Value> = fields.into_iter().filter_map(|(key, value)| Some((key.to_string(), value?))).collect();
        Echo::read(&Value::Object(object), redactor)
    }
}

impl Echo {
    /// Reads the echo fields of an answer object (or an event, or an output item); `None` when
    /// it holds none that is readable.
    pub fn read(value: &Value, redactor: &Redactor) -> Option<Echo> {
        let echo = Echo {
            size: word(value, "size", redactor),
            quality: word(value, "quality", redactor),
            output_format: word(value, "output_format", redactor),
            background: word(value, "background", redactor),
            seed: value.get("seed").and_then(Value::as_u64).filter(|seed| *seed <= MAX_SEED),
        };
        (echo != Echo::default()).then_some(echo)
    }

    /// The echo of one request made of several answers (parallel Responses calls, streamed
    /// images): a fact they agree on is kept, one they disagree on is unknown.
    pub fn merge(a: Option<Echo>, b: Option<Echo>) -> Option<Echo> {
        fn agreed<T: PartialEq>(a: Option<T>, b: Option<T>) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => (a == b).then_some(a),
                (a, b) => a.or(b),
            }
        }
        match (a, b) {
            (Some(a), Some(b)) => {
                let echo = Echo {
                    size: agreed(a.size, b.size),
                    quality: agreed(a.quality, b.quality),
                    output_format: agreed(a.output_format, b.output_format),
                    background: agreed(a.background, b.background),
                    seed: agreed(a.seed, b.seed),
                };
                (echo != Echo::default()).then_some(echo)
            }
            (a, b) => a.or(b),
        }
    }

    /// The wire shape, camelCase: `{ size?, quality?, outputFormat?, background?, seed? }`.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        for (key, value) in [("size", &self.size), ("quality", &self.quality), ("outputFormat", &self.output_format), ("background", &self.background)] {
            if let Some(text) = value {
                out.insert(key.into(), Value::String(text.clone()));
            }
        }
        if let Some(seed) = self.seed {
            out.insert("seed".into(), Value::from(seed));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keeps_plain_words_and_whole_seeds_field_by_field() {
        let answer = json!({ "size": "1536x1024", "quality": "high", "output_format": "webp", "background": "opaque", "seed": 42, "created": 1 });
        assert_eq!(Echo::read(&answer, &Redactor::default()).unwrap().to_json(), json!({ "size": "1536x1024", "quality": "high", "outputFormat": "webp", "background": "opaque", "seed": 42 }));
        let odd = json!({ "size": "<b>big</b>", "quality": 3, "output_format": "x".repeat(33), "background": "", "seed": -1 });
        assert_eq!(Echo::read(&odd, &Redactor::default()), None);
        let mixed = json!({ "size": "2K", "seed": 1.5 });
        assert_eq!(Echo::read(&mixed, &Redactor::default()).unwrap().to_json(), json!({ "size": "2K" }));
        assert_eq!(Echo::read(&json!({ "seed": 9_007_199_254_740_992u64 }), &Redactor::default()), None);
    }

    #[test]
    fn a_value_redaction_would_change_is_dropped() {
        let redactor = Redactor::new(["hunter22".to_string()]);
        let answer = json!({ "quality": "hunter22", "size": "sk-abcdefgh123", "background": "opaque" });
        assert_eq!(Echo::read(&answer, &redactor).unwrap().to_json(), json!({ "background": "opaque" }));
    }

    #[test]
    fn several_answers_keep_only_what_they_agree_on() {
        let a = Echo { size: Some("1024x1024".into()), quality: Some("high".into()), ..Echo::default() };
        let b = Echo { size: Some("1024x1024".into()), quality: Some("low".into()), seed: Some(7), ..Echo::default() };
        assert_eq!(Echo::merge(Some(a.clone()), Some(b)).unwrap().to_json(), json!({ "size": "1024x1024", "seed": 7 }));
        assert_eq!(Echo::merge(None, Some(a.clone())), Some(a));
        let q = |q: &str| Some(Echo { quality: Some(q.into()), ..Echo::default() });
        assert_eq!(Echo::merge(q("low"), q("high")), None);
    }
}
