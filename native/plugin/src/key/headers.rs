//! A profile's extra headers are not secret (they are exported with the profile), so they may not
//! carry credentials: the names that carry keys or sessions are refused, and so is any value
//! equal to a stored key.

use std::collections::BTreeMap;

use crate::error::{Error, ErrorCode};

/// Header names (any case) an extra header may not have.
pub const CREDENTIAL_HEADERS: [&str; 4] = ["authorization", "api-key", "x-goog-api-key", "cookie"];

/// Refuses the first header that would carry a credential, naming it; never repeats a value.
pub fn check_extra_headers(headers: &BTreeMap<String, String>, stored_keys: &[String]) -> Result<(), Error> {
    for (name, value) in headers {
        let credential_name = CREDENTIAL_HEADERS.iter().any(|refused| name.trim().eq_ignore_ascii_case(refused));
        let credential_value = stored_keys.iter().any(|key| value.trim() == key || value.split_whitespace().any(|word| word == key));
        if credential_name || credential_value {
            // The name is the caller's own text: only a plain header name is repeated.
            let name = name.trim();
            let shown = if name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') { name } else { "(unnamed)" };
            let why = if credential_name { "carries credentials" } else { "holds a stored API key" };
            return Err(Error::new(ErrorCode::InvalidConfig, format!("The extra header {shown} {why}; remove it from the profile's extra headers. Nothing was sent."))
                .with_reason("credential_header"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn credential_names_are_refused_in_any_case_and_named() {
        for name in ["Authorization", "API-KEY", "x-goog-api-key", "cookie", " Cookie "] {
            let refused = check_extra_headers(&headers(&[(name, "anything")]), &[]).unwrap_err();
            assert_eq!(refused.code(), ErrorCode::InvalidConfig);
            assert_eq!(refused.details().reason, Some("credential_header"));
            assert!(refused.details().message.contains(name.trim()), "{refused:?}");
            assert!(!refused.sent());
        }
    }

    #[test]
    fn a_value_equal_to_a_stored_key_is_refused_without_repeating_it() {
        let key = "sk-stored-extra-header-0001".to_string();
        for value in [key.as_str(), " sk-stored-extra-header-0001 ", "Bearer sk-stored-extra-header-0001"] {
            let refused = check_extra_headers(&headers(&[("X-Trace", value)]), std::slice::from_ref(&key)).unwrap_err();
            assert!(refused.details().message.contains("X-Trace"));
            assert!(!format!("{refused:?} {}", refused.details().message).contains(&key));
        }
        assert!(check_extra_headers(&headers(&[("X-Trace", "abc"), ("OpenAI-Organization", "org-1")]), &[key]).is_ok());
    }
}
