//! What OpenAI's GPT image models echo of a request in their answer: `size`, `quality`,
//! `output_format` and `background`, each as the image was made (an `auto` resolved). The Images
//! API puts them at the top of its answer and in each streamed event; the Responses API on each
//! `image_generation_call` item. DALL·E answers carry none.
//!
//! The fake resolves `auto` (or a field not sent) to 1024x1024 (or its `image-size`), `medium`,
//! `png` and `opaque`. With `ignore-options` it answers those defaults for size and quality
//! whatever was asked, as relays whose upstream ignores them do.

use serde_json::{Map, Value};

use crate::Config;

/// The echo fields for a request whose string fields `field` reads (`model` is `None` for the
/// Responses tool, whose image model always echoes).
pub fn of(model: Option<&str>, field: impl Fn(&str) -> Option<String>, config: &Config) -> Map<String, Value> {
    let mut echo = Map::new();
    if model.is_some_and(|m| m.starts_with("dall-e")) {
        return echo;
    }
    let asked = |name: &str| field(name).filter(|value| value != "auto" && !value.is_empty());
    let honoured = |name: &str| asked(name).filter(|_| !config.ignore_options);
    let default_size = config.image_size.map_or_else(|| "1024x1024".to_string(), |(w, h)| format!("{w}x{h}"));
    echo.insert("size".into(), Value::String(honoured("size").unwrap_or(default_size)));
    echo.insert("quality".into(), Value::String(honoured("quality").unwrap_or_else(|| "medium".into())));
    echo.insert("output_format".into(), Value::String(asked("output_format").unwrap_or_else(|| "png".into())));
    echo.insert("background".into(), Value::String(asked("background").unwrap_or_else(|| "opaque".into())));
    echo
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(body: Value) -> impl Fn(&str) -> Option<String> {
        move |name| body.get(name).and_then(Value::as_str).map(str::to_string)
    }

    #[test]
    fn echoes_what_was_asked_with_auto_resolved_and_nothing_for_dall_e() {
        let asked = of(Some("gpt-image-2"), fields(json!({ "size": "1536x1024", "quality": "high", "output_format": "webp", "background": "auto" })), &Config::default());
        assert_eq!(Value::Object(asked), json!({ "size": "1536x1024", "quality": "high", "output_format": "webp", "background": "opaque" }));
        let sized = Config { image_size: Some((512, 256)), ..Config::default() };
        assert_eq!(of(None, fields(json!({})), &sized)["size"], "512x256");
        assert!(of(Some("dall-e-3"), fields(json!({ "size": "1024x1024" })), &Config::default()).is_empty());
    }

    #[test]
    fn ignore_options_answers_the_default_size_and_quality() {
        let config = Config { ignore_options: true, ..Config::default() };
        let echo = of(Some("gpt-image-1"), fields(json!({ "size": "1536x1024", "quality": "high", "output_format": "jpeg" })), &config);
        assert_eq!(Value::Object(echo), json!({ "size": "1024x1024", "quality": "medium", "output_format": "jpeg", "background": "opaque" }));
    }
}
