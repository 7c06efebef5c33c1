//! Request diagnostics through `ctx.log`: exactly one started line and one terminal line
//! (succeeded | failed | cancelled) per request, as `phrase key=value …`, each line redacted.

use std::time::Instant;

use hf_plugin_api::{LogLevel, PluginContext};

use crate::error::{Error, ErrorCode};
use crate::safety::redact::{truncate, Redactor};

/// One request's log: holds the fields shared by both lines.
pub struct RequestLog<'a> {
    ctx: &'a dyn PluginContext,
    redactor: Redactor,
    phrase: &'static str,
    fields: Vec<(&'static str, String)>,
    started: Instant,
    finished: bool,
}

/// How a request ended, for its terminal line.
pub enum Outcome<'a> {
    /// Success with HTTP status, output count and provider request id.
    Succeeded {
        /// HTTP status.
        status: u16,
        /// Images (or models) returned.
        outputs: usize,
        /// Provider request id.
        provider_request_id: Option<&'a str>,
    },
    /// Failure (cancellation is logged as `cancelled`).
    Failed(&'a Error),
}

/// Characters that could end or fake a log line: controls and the Unicode line separators.
fn breaks_lines(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `key=value`, quoting values with spaces, quotes, backslashes, `=` or control characters, and
/// escaping inside the quotes, so provider text with `\n` cannot forge a line or a pair.
pub(crate) fn pair(key: &str, value: &str) -> String {
    let plain = !value.is_empty() && !value.chars().any(|c| c.is_whitespace() || breaks_lines(c) || matches!(c, '"' | '=' | '\\'));
    if plain {
        return format!("{key}={value}");
    }
    let mut out = format!("{key}=\"");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if breaks_lines(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl<'a> RequestLog<'a> {
    /// Logs the started line. `phrase` is e.g. `image request`; fields are
    /// `request_id`, `gateway`, `operation`, `model`, `size`, `n`, …. Never pass prompt text: pass its length.
    pub fn start(
        ctx: &'a dyn PluginContext,
        redactor: Redactor,
        phrase: &'static str,
        fields: Vec<(&'static str, String)>,
    ) -> Self {
        let log = Self { ctx, redactor, phrase, fields, started: Instant::now(), finished: false };
        log.emit(LogLevel::Info, "started", &[]);
        log
    }

    /// Adds a field to the terminal line only (e.g. token counts known at the end).
    pub fn note(&mut self, key: &'static str, value: String) {
        self.fields.push((key, value));
    }

    /// Milliseconds since the started line.
    pub fn elapsed_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn emit(&self, level: LogLevel, event: &str, extra: &[(&'static str, String)]) {
        let mut line = format!("{} {event}", self.phrase);
        for (key, value) in self.fields.iter().chain(extra) {
            line.push(' ');
            line.push_str(&pair(key, value));
        }
        self.ctx.log(level, &self.redactor.scrub(&line));
    }

    /// Logs the terminal line; a second call does nothing.
    pub fn finish(mut self, outcome: Outcome<'_>) {
        self.finish_inner(outcome);
    }

    fn finish_inner(&mut self, outcome: Outcome<'_>) {
        if self.finished {
            return;
        }
        self.finished = true;
        let elapsed = ("elapsed_ms", self.elapsed_ms().to_string());
        match outcome {
            Outcome::Succeeded { status, outputs, provider_request_id } => {
                let mut extra = vec![("status", status.to_string()), elapsed, ("outputs", outputs.to_string())];
                if let Some(id) = provider_request_id {
                    extra.push(("provider_request_id", id.to_string()));
                }
                self.emit(LogLevel::Info, "succeeded", &extra);
            }
            Outcome::Failed(error) => {
                let details = error.details();
                let mut extra = Vec::new();
                if let Some(status) = details.status {
                    extra.push(("status", status.to_string()));
                }
                extra.push(elapsed);
                extra.push(("outputs", "0".to_string()));
                extra.push(("error_code", error.code().to_string()));
                if let Some(id) = &details.provider_request_id {
                    extra.push(("provider_request_id", id.clone()));
                }
                if error.code() == ErrorCode::Cancelled {
                    self.emit(LogLevel::Info, "cancelled", &extra);
                } else if error.code() == ErrorCode::Internal {
                    extra.push(("error", truncate(&details.message, 160)));
                    self.emit(LogLevel::Error, "failed", &extra);
                } else {
                    extra.push(("error", truncate(&details.message, 160)));
                    self.emit(LogLevel::Warn, "failed", &extra);
                }
            }
        }
    }
}

impl Drop for RequestLog<'_> {
    /// A request that ends without `finish` (a panic, whose location the command's guard logs)
    /// still gets its terminal line.
    fn drop(&mut self) {
        if !self.finished {
            let error = Error::internal("the command handler");
            self.finish_inner(Outcome::Failed(&error));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pair;

    #[test]
    fn values_with_spaces_or_quotes_are_quoted() {
        assert_eq!(pair("model", "gpt-image-1"), "model=gpt-image-1");
        assert_eq!(pair("error", "bad \"size\" value"), "error=\"bad \\\"size\\\" value\"");
        assert_eq!(pair("size", ""), "size=\"\"");
    }

    #[test]
    fn control_characters_cannot_forge_a_line_or_a_pair() {
        let forged = "bad\n2026-01-01T00:00:00Z INFO  x: image request succeeded request_id=r-9\r\u{2028}\u{7}";
        let line = pair("error", forged);
        assert!(!line.chars().any(|c| c.is_control() || c == '\u{2028}'), "{line}");
        assert_eq!(line.matches('"').count(), 2, "{line}");
        assert_eq!(pair("error", "a\\\"b"), "error=\"a\\\\\\\"b\"");
    }
}
