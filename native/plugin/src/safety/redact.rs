//! The one redaction function. Every string that leaves the crate (log lines, error messages,
//! provider text in results) goes through [`redact`], usually via a [`Redactor`] that carries the
//! secrets known for the current call: the stored API key, which the key's custody hands out
//! only inside a redactor ([`crate::key::KeyCustody::redactor`]).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

/// What replaces a secret.
pub const MARK: &str = "[REDACTED]";

struct Rule {
    pattern: Regex,
    replace: fn(&Captures<'_>) -> String,
}

fn rule(pattern: &str, replace: fn(&Captures<'_>) -> String) -> Rule {
    Rule { pattern: Regex::new(pattern).expect("redaction pattern compiles"), replace }
}

/// Patterns for secrets whose value we do not know: they are recognised by their context.
/// `machines/redact.ts` has the same rules in the same order; both engines fold case and find
/// word boundaries in ASCII only, and whitespace is spelled as the ASCII set, so they agree.
/// `tests/fixtures/shared-rules.json` holds both to it.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // data: URLs carry image or mask bytes.
        rule(r"(?i)\bdata:[a-z0-9.+/-]*(?:;[a-z0-9.+=-]*)*,[^\t\n\x0B\f\r \x22'<>)\]]*", |_| format!("data:{MARK}")),
        // Credentials in quoted JSON fields, header lines and key=value text.
        rule(
            r#"(?i)"(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|password|secret|token|b64_json|mask)"[\t\n\x0B\f\r ]*:[\t\n\x0B\f\r ]*"(?:[^"\\]|\\[^\n])*""#,
            |c| format!("\"{}\":\"{MARK}\"", &c[1]),
        ),
        rule(
            r"(?im)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-goog-api-key)[\t\x0B\f ]*:[^\r\n]*",
            |c| format!("{}: {MARK}", &c[1]),
        ),
        rule(r"(?i)\b(bearer|basic)[\t\n\x0B\f\r ]+[^\t\n\x0B\f\r \x22',;]+", |c| format!("{} {MARK}", &c[1])),
        rule(
            r"(?i)\b(api[_-]?key|access[_-]?token|client[_-]?secret|password|secret|token)=[^&\t\n\x0B\f\r \x22'<>]+",
            |c| format!("{}={MARK}", &c[1]),
        ),
        // URL user info and query values (signed URLs, api-key=...).
        rule(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\t\n\x0B\f\r ?#@\x22'<>]*@", |c| format!("{}{MARK}@", &c[1])),
        rule(r"([?&][^=&#\t\n\x0B\f\r \x22'<>]+)=[^&#\t\n\x0B\f\r \x22'<>]*", |c| format!("{}={MARK}", &c[1])),
        // Key shapes: OpenAI-style keys, GitHub and AWS access keys, JWTs.
        rule(r"\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}", |c| format!("{}-{MARK}", &c[1])),
        rule(r"\bgh[pousr]_[A-Za-z0-9]{20,}", |_| MARK.to_string()),
        rule(r"\bAKIA[0-9A-Z]{16}\b", |_| MARK.to_string()),
        rule(r"\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", |_| MARK.to_string()),
        // Long base64 runs: image bytes, masks, long tokens.
        rule(r"[A-Za-z0-9+/_-]{64,}={0,2}", |c| format!("[base64 {} chars]", c[0].len())),
    ]
});

/// Known secrets shorter than this are not searched for: they would match ordinary words.
pub const MIN_SECRET_CHARS: usize = 4;

/// Scrubs `text`: every occurrence of a known secret (raw, JSON-escaped or percent-encoded), then
/// credentials recognisable by context (Bearer tokens, Authorization/Cookie values, URL user info
/// and query values, `sk-` keys, JWTs, long base64 runs, `data:` URLs).
///
/// If a known secret could still be found afterwards (only possible for a secret made of the
/// marker's own characters), the whole text is replaced: losing a message beats leaking a key.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let variants = secret_variants(secrets);
    let mut out = replace_known(text, &variants);
    for rule in RULES.iter() {
        if let Cow::Owned(replaced) = rule.pattern.replace_all(&out, |c: &Captures<'_>| (rule.replace)(c)) {
            out = replaced;
        }
    }
    out = replace_known(&out, &variants);
    let leaks = |candidate: &str| variants.iter().any(|v| candidate.contains(v.as_str()));
    if leaks(&out) {
        // Only reachable for a secret spelled with the marker's own characters.
        return [MARK, "***", ""].into_iter().find(|c| !leaks(c)).unwrap_or_default().to_string();
    }
    out
}

fn secret_variants(secrets: &[&str]) -> Vec<String> {
    let mut variants: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| s.chars().count() >= MIN_SECRET_CHARS) {
        // The JSON spelling without its two enclosing quotes.
        let quoted = serde_json::to_string(secret).unwrap_or_default();
        let json = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or_default().to_string();
        for v in [secret.to_string(), json, percent_encode(secret)] {
            if !v.is_empty() && !variants.contains(&v) {
                variants.push(v);
            }
        }
    }
    // Longest first, so a secret that contains another is removed whole.
    variants.sort_by_key(|v| std::cmp::Reverse(v.len()));
    variants
}

fn replace_known(text: &str, variants: &[String]) -> String {
    let mut out = text.to_string();
    // A replacement can splice a new occurrence together; repeat until stable (bounded).
    for _ in 0..8 {
        if !variants.iter().any(|v| out.contains(v.as_str())) {
            break;
        }
        for v in variants {
            out = out.replace(v.as_str(), MARK);
        }
    }
    out
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Cuts `text` to at most `max` characters (on a character boundary), marking the cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// Redaction with the secrets of one call. Cheap to clone.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor that also removes these exact secrets.
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        Self { secrets: secrets.into_iter().filter(|s| !s.is_empty()).collect() }
    }

    /// [`redact`] with this call's secrets.
    pub fn scrub(&self, text: &str) -> String {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        redact(text, &secrets)
    }

    /// `text` with only this call's secrets replaced, no pattern applied: for short values that
    /// keep their shape (a provider request id) until [`Redactor::scrub`] runs on the way out.
    pub fn remove_secrets(&self, text: &str) -> String {
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        replace_known(text, &secret_variants(&secrets))
    }

    /// True when `text` contains one of the known secrets verbatim.
    pub fn contains_secret(&self, text: &str) -> bool {
        self.secrets.iter().any(|s| text.contains(s.as_str()))
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_known_key_in_every_spelling() {
        let key = "my key/with \"quotes\"";
        let text = format!("raw {key} json {} url {}", serde_json::to_string(key).unwrap(), percent_encode(key));
        let out = redact(&text, &[key]);
        assert!(!out.contains("my key"), "{out}");
    }

    #[test]
    fn scrubs_credentials_recognised_by_context() {
        let cases = [
            ("Authorization: Bearer abc.def", "abc.def"),
            ("got bearer tok_123456 from", "tok_123456"),
            (r#"{"api_key": "zz-top-secret"}"#, "zz-top-secret"),
            ("Cookie: session=s3cr3t; other=1", "s3cr3t"),
            ("https://bob:hunter2@host/v1", "hunter2"),
            ("https://host/v1?api-version=2024&sig=SIGVALUE", "SIGVALUE"),
            ("use sk-proj-ABCDEFGH12345678 please", "ABCDEFGH12345678"),
            ("img data:image/png;base64,iVBORw0KGgo= end", "iVBORw0KGgo"),
            ("token=abcdef123", "abcdef123"),
        ];
        for (input, secret) in cases {
            let out = redact(input, &[]);
            assert!(!out.contains(secret), "{input} -> {out}");
        }
    }

    #[test]
    fn long_base64_runs_are_replaced_by_their_length() {
        let run = "A".repeat(100);
        assert_eq!(redact(&format!("x {run} y"), &[]), "x [base64 100 chars] y");
    }

    #[test]
    fn ordinary_log_pairs_survive() {
        let line = "image request started request_id=r-1 gateway=custom operation=generate model=gpt-image-1 size=1024x1024 n=2";
        assert_eq!(redact(line, &[]), line);
    }

    #[test]
    fn a_secret_made_of_marker_letters_cannot_survive() {
        let out = redact("xx DACT yy", &["DACT"]);
        assert!(!out.contains("DACT"), "{out}");
    }

    #[test]
    fn truncate_cuts_on_character_boundaries() {
        assert_eq!(truncate("héllo", 2), "hé…");
        assert_eq!(truncate("hi", 5), "hi");
    }
}
