//! Base URL normalization for the custom endpoint, and the rule for image URLs it returns.

use std::net::IpAddr;

use url::{Host, Url};


/// Path suffixes people paste along with the base URL; they are dropped, as many as there are,
/// so a URL the panel normalized comes out unchanged.
const OPERATION_SUFFIXES: &[&str] =
    &["/images/generations", "/images/edits", "/responses", "/models", "/chat/completions"];

/// A validated, normalized base URL such as `https://host/v1` or `https://host/openai/v1?api-version=x`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: Url,
}

/// Why a base URL was refused. The same problems, with the same names, as the panel's checker
/// (`src/gateways/baseUrl.ts`); the shared corpus `tests/fixtures/shared-rules.json` holds both
/// to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlProblem {
    /// Nothing typed.
    Empty,
    /// Not a URL.
    NotUrl,
    /// Neither https nor http.
    Scheme,
    /// `user:pass@` in the URL.
    Credentials,
    /// No host name.
    NoHost,
    /// A host name with characters outside ASCII. The library leaves out Unicode IDNA (136 KB
    /// of tables), so it takes a host only in its ASCII form (punycode, `xn--…`). The panel
    /// sends that form: its URL parser converts the name.
    UnicodeHost,
    /// Plain http to a host that is not this computer, without the opt-in.
    InsecureHttp,
}

impl BaseUrlProblem {
    /// The shared name (`notUrl`, `insecureHttp`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            BaseUrlProblem::Empty => "empty",
            BaseUrlProblem::NotUrl => "notUrl",
            BaseUrlProblem::Scheme => "scheme",
            BaseUrlProblem::Credentials => "credentials",
            BaseUrlProblem::NoHost => "noHost",
            BaseUrlProblem::UnicodeHost => "unicodeHost",
            BaseUrlProblem::InsecureHttp => "insecureHttp",
        }
    }

    /// What the user is told. Never repeats the URL, which may carry secrets.
    pub fn message(self) -> &'static str {
        match self {
            BaseUrlProblem::Empty => "Enter the custom endpoint's base URL.",
            BaseUrlProblem::NotUrl => "The base URL is not a valid URL.",
            BaseUrlProblem::Scheme => "The base URL must start with https:// (or http:// for localhost).",
            BaseUrlProblem::Credentials => "Remove the user name and password from the base URL and put the key in the API key field.",
            BaseUrlProblem::NoHost => "The base URL has no host name.",
            BaseUrlProblem::UnicodeHost => {
                "Write the base URL's host name in its ASCII form (punycode, starting with xn--); international host names are not converted here."
            }
            BaseUrlProblem::InsecureHttp => {
                "Plain http is only allowed for localhost. Use https, or turn on \"Allow insecure http\" for this endpoint."
            }
        }
    }
}

impl Endpoint {
    /// Normalizes what the user typed:
    /// - no `://` → `https://` is put in front; only `http` and `https` are accepted;
    /// - user info (`user:pass@`) is refused: the key belongs in the key field;
    /// - plain `http` only for loopback hosts, unless `allow_insecure_http`;
    /// - trailing `/` and pasted operation paths (`/images/generations`, …) are dropped;
    /// - an empty path becomes `/v1`; any other path (a proxy's `/openai/v1`, `/api/v3`) is kept;
    /// - the query string (`?api-version=…`) is kept and sent with every call; the fragment is not.
    ///
    /// A refusal names its [`BaseUrlProblem`] (an `invalid_config` error by `From`), never the
    /// URL, which may carry secrets.
    pub fn check(input: &str, allow_insecure_http: bool) -> Result<Endpoint, BaseUrlProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(BaseUrlProblem::Empty);
        }
        let with_scheme = if trimmed.contains("://") { trimmed.to_string() } else { format!("https://{trimmed}") };
        // A host name has no spaces (the panel refuses them too: Chromium's URL parser would
        // percent-encode them instead).
        if host_part(&with_scheme).chars().any(|c| c.is_ascii_whitespace()) {
            return Err(BaseUrlProblem::NotUrl);
        }
        if !host_part(&with_scheme).is_ascii() {
            return Err(BaseUrlProblem::UnicodeHost);
        }
        let mut url = Url::parse(&with_scheme).map_err(|_| BaseUrlProblem::NotUrl)?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(BaseUrlProblem::Scheme);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlProblem::Credentials);
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(BaseUrlProblem::NoHost);
        }
        if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&url) {
            return Err(BaseUrlProblem::InsecureHttp);
        }
        url.set_fragment(None);
        if url.query() == Some("") {
            url.set_query(None);
        }
        let mut path = url.path().trim_end_matches('/').to_string();
        while let Some(stripped) = OPERATION_SUFFIXES.iter().find_map(|suffix| path.strip_suffix(suffix)) {
            path = stripped.trim_end_matches('/').to_string();
        }
        if path.is_empty() {
            path = "/v1".to_string();
        }
        url.set_path(&path);
        Ok(Endpoint { base: url })
    }

    /// The URL of one operation, e.g. `images/generations`, keeping the base URL's query.
    pub fn url_for(&self, operation: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!("{}/{operation}", self.base.path()));
        url
    }

    /// The normalized base URL.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The same endpoint with the query pair `name=value`, replacing any pair of that name.
    pub fn with_query_pair(mut self, name: &str, value: &str) -> Endpoint {
        let kept: Vec<(String, String)> =
            self.base.query_pairs().filter(|(k, _)| k != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        self.base.query_pairs_mut().clear().extend_pairs(kept).append_pair(name, value);
        self
    }

    /// Whether the query has a non-empty `name`.
    pub fn has_query_key(&self, name: &str) -> bool {
        self.base.query_pairs().any(|(k, v)| k == name && !v.is_empty())
    }

    /// The base URL's origin with another path, keeping the query.
    pub fn url_with_path(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(path);
        url
    }
}

/// The host (and port) as written in `url`: after `://` (and any more slashes, which the URL
/// parser skips for http and https) and any `user@`, before the path, query or fragment.
fn host_part(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest).trim_start_matches(['/', '\\']);
    let authority = after_scheme.split(['/', '\\', '?', '#']).next().unwrap_or_default();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host)
}

/// True for `localhost`, `*.localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| IpAddr::V4(v4).is_loopback())
        }
        None => false,
    }
}

/// An image URL from the endpoint is passed to the frontend only if it is https, or http on a
/// loopback host, without user info (`user:pass@`: the panel refuses it too). It is never
/// fetched here, so the API key never travels to it.
pub fn is_acceptable_image_url(text: &str) -> bool {
    match Url::parse(text) {
        Ok(url) if !url.username().is_empty() || url.password().is_some() => false,
        Ok(url) => match url.scheme() {
            "https" => url.host_str().is_some_and(|h| !h.is_empty()),
            "http" => is_loopback(&url),
            _ => false,
        },
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(input: &str) -> String {
        Endpoint::check(input, false).map(|e| e.base().to_string()).unwrap_or_else(|e| format!("ERR {}", crate::error::Error::from(e).code().as_str()))
    }

    #[test]
    fn accepts_the_usual_spellings_of_a_base_url() {
        assert_eq!(norm("https://api.example.com"), "https://api.example.com/v1");
        assert_eq!(norm("https://api.example.com/"), "https://api.example.com/v1");
        assert_eq!(norm("https://api.example.com/v1"), "https://api.example.com/v1");
        assert_eq!(norm("https://api.example.com/v1/"), "https://api.example.com/v1");
        assert_eq!(norm("  api.example.com/v1  "), "https://api.example.com/v1");
        assert_eq!(norm("https://gw.example.com/openai/v1"), "https://gw.example.com/openai/v1");
        assert_eq!(norm("https://ark.example.com/api/v3"), "https://ark.example.com/api/v3");
        assert_eq!(norm("https://api.example.com/v1/images/generations"), "https://api.example.com/v1");
        assert_eq!(norm("https://api.example.com/v1/responses/"), "https://api.example.com/v1");
        assert_eq!(norm("https://x.example.com/openai/v1?api-version=preview#frag"), "https://x.example.com/openai/v1?api-version=preview");
    }

    #[test]
    fn operation_urls_keep_the_query_string() {
        let endpoint = Endpoint::check("https://x.example.com/openai/v1/?api-version=preview", false).unwrap();
        assert_eq!(endpoint.url_for("images/edits").as_str(), "https://x.example.com/openai/v1/images/edits?api-version=preview");
    }

    #[test]
    fn a_query_pair_replaces_one_of_the_same_name_and_keeps_the_others() {
        let endpoint = Endpoint::check("https://r.openai.azure.com/openai?api-version=old&x=1", false).unwrap();
        assert!(endpoint.has_query_key("api-version"));
        let endpoint = endpoint.with_query_pair("api-version", "2025-04-01-preview");
        assert_eq!(endpoint.url_for("models").as_str(), "https://r.openai.azure.com/openai/models?x=1&api-version=2025-04-01-preview");
        assert!(!Endpoint::check("https://r.example.com/v1", false).unwrap().has_query_key("api-version"));
    }

    #[test]
    fn refuses_other_schemes_user_info_empty_hosts_and_public_plain_http() {
        assert_eq!(norm("ftp://api.example.com"), "ERR invalid_config");
        assert_eq!(norm("file:///etc/passwd"), "ERR invalid_config");
        assert_eq!(norm("https://user:pw@api.example.com/v1"), "ERR invalid_config");
        assert_eq!(norm("https://user@api.example.com/v1"), "ERR invalid_config");
        assert_eq!(norm("http://api.example.com/v1"), "ERR invalid_config");
        assert_eq!(norm("https://"), "ERR invalid_config");
        assert_eq!(norm(""), "ERR invalid_config");
        assert_eq!(norm("http:///v1"), "ERR invalid_config");
    }

    #[test]
    fn plain_http_is_fine_on_loopback_or_when_opted_in() {
        assert_eq!(norm("http://127.0.0.1:4010/v1"), "http://127.0.0.1:4010/v1");
        assert_eq!(norm("http://localhost:8080"), "http://localhost:8080/v1");
        assert_eq!(norm("http://[::1]:8080/v1"), "http://[::1]:8080/v1");
        assert!(Endpoint::check("http://gpu-box.lan:8080/v1", true).is_ok());
    }

    #[test]
    fn host_names_are_taken_in_their_ascii_form_only() {
        assert_eq!(norm("https://xn--bcher-kva.example/v1"), "https://xn--bcher-kva.example/v1");
        assert_eq!(norm("HTTPS://XN--BCHER-KVA.EXAMPLE"), "https://xn--bcher-kva.example/v1");
        assert_eq!(Endpoint::check("https://bücher.example/v1", false), Err(BaseUrlProblem::UnicodeHost));
        assert_eq!(Endpoint::check("bücher.example", false), Err(BaseUrlProblem::UnicodeHost));
        assert_eq!(Endpoint::check("https://me@bücher.example:8443/v1", false), Err(BaseUrlProblem::UnicodeHost));
        assert_eq!(Endpoint::check("/A🡠", false), Err(BaseUrlProblem::UnicodeHost));
        assert_eq!(Endpoint::check("https:///\\bücher.example", false), Err(BaseUrlProblem::UnicodeHost));
        // Percent-encoded, the URL parser decodes it and refuses it as no valid host.
        assert_eq!(Endpoint::check("https://A%C3%BC.example/v1", false), Err(BaseUrlProblem::NotUrl));
        assert!(!is_acceptable_image_url("https://A%C3%BC.example/a.png"));
        // Outside the host, non-ASCII is percent-encoded as usual.
        assert_eq!(norm("https://api.example.com/代理/v1"), "https://api.example.com/%E4%BB%A3%E7%90%86/v1");
        assert_eq!(norm("https://api.example.com/v1?model=größe"), "https://api.example.com/v1?model=gr%C3%B6%C3%9Fe");
    }

    #[test]
    fn error_messages_do_not_repeat_the_url() {
        let error = crate::error::Error::from(Endpoint::check("https://me:hunter2@api.example.com", false).unwrap_err());
        assert!(!error.details().message.contains("hunter2"));
    }

    #[test]
    fn image_urls_must_be_https_or_loopback_http() {
        assert!(is_acceptable_image_url("https://cdn.example.com/a.png?sig=1"));
        assert!(is_acceptable_image_url("http://127.0.0.1:9/files/a.png"));
        assert!(!is_acceptable_image_url("http://cdn.example.com/a.png"));
        assert!(!is_acceptable_image_url("file:///tmp/a.png"));
        assert!(!is_acceptable_image_url("javascript:alert(1)"));
        assert!(!is_acceptable_image_url("https://user:pass@cdn.example.com/a.png"));
        assert!(!is_acceptable_image_url("https://user@cdn.example.com/a.png"));
        assert!(!is_acceptable_image_url("http://:pass@127.0.0.1:9/a.png"));
    }
}
