//! Profile ids and origins: a key is saved for one profile and one origin, and a call names both.

use url::Url;

use crate::error::Error;
use crate::http::endpoint::Endpoint;

/// A profile id: 1–64 characters of `A-Z a-z 0-9 _ -` (it names a keychain entry and a file).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileId(String);

impl ProfileId {
    /// Checks `id`; the refusal never repeats it.
    pub fn parse(id: &str) -> Result<ProfileId, Error> {
        let ok = (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            return Err(Error::invalid_request("profileId must be 1-64 characters of A-Z, a-z, 0-9, _ and -."));
        }
        Ok(ProfileId(id.to_string()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An origin, `scheme://host[:port]` as the URL standard serializes it: scheme and host lower
/// case, a default port left out, so two spellings of one server compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// The origin of `url`.
    pub fn of(url: &Url) -> Origin {
        Origin(url.origin().ascii_serialization())
    }

    /// The origin of a base URL as the user typed it, by the same rules the calls use; plain
    /// http to any host is taken here (a call still refuses it without the opt-in).
    pub fn of_base_url(base_url: &str) -> Result<Origin, Error> {
        Ok(Origin::of(Endpoint::check(base_url, true)?.base()))
    }

    /// The serialized origin.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(base: &str) -> String {
        Origin::of_base_url(base).unwrap().as_str().to_string()
    }

    #[test]
    fn spellings_of_one_server_have_one_origin_and_others_do_not() {
        assert_eq!(origin("https://API.Example.com/v1"), "https://api.example.com");
        assert_eq!(origin("api.example.com"), "https://api.example.com");
        assert_eq!(origin("https://api.example.com:443/openai/v1?api-version=x"), "https://api.example.com");
        assert_eq!(origin("http://127.0.0.1:8080/v1"), "http://127.0.0.1:8080");
        for other in ["http://api.example.com/v1", "https://api.example.com:8443/v1", "https://api.example.com.evil.test/v1", "https://evil.test/api.example.com/v1"] {
            assert_ne!(origin(other), "https://api.example.com", "{other}");
        }
    }

    #[test]
    fn profile_ids_are_short_and_plain() {
        for good in ["default", "a", "work_Azure-2", &"x".repeat(64)] {
            assert!(ProfileId::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "a b", "../x", "x.y", "é", &"x".repeat(65)] {
            assert!(ProfileId::parse(bad).is_err(), "{bad}");
        }
    }
}
