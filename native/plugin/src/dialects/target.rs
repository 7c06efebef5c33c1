//! The endpoint profile a call names, checked: its base URL, how the key is sent, Azure's
//! deployment and API version, the edit upload form and the extra headers. Every refusal is a
//! specific `invalid_config` that names the field, never its value.

use url::Url;

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{AuthStyle, DialectName, EditUpload};
use crate::error::{Error, ErrorCode};
use crate::http::endpoint::Endpoint;
use crate::http::transport::{Body, Credential, Method, OutboundRequest};

/// Header names an extra header may not use: credentials (the key travels only in the profile's
/// auth header) and the ones that frame the request.
const REFUSED_HEADERS: &[&str] = &[
    "authorization", "proxy-authorization", "api-key", "x-goog-api-key", "cookie",
    "host", "content-length", "content-type", "transfer-encoding", "connection",
];
/// Most extra headers per profile.
const MAX_EXTRA_HEADERS: usize = 16;

/// `endpoint` of every call: one endpoint profile as the panel resolved it. (`Debug` shows the
/// extra headers' names only.)
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndpointArgs {
    /// The profile the call goes through (1–64 of `A-Z a-z 0-9 _ -`); the key is the profile's.
    pub profile_id: String,
    /// The base URL as the user typed it.
    pub base_url: String,
    /// The API family.
    pub dialect: DialectName,
    /// Which header carries the key.
    pub auth: AuthStyle,
    /// Azure: the deployment name (path segment; the Responses tool's deployment header).
    #[serde(default)]
    pub deployment: Option<String>,
    /// Azure: `api-version` (replaces one in the base URL's query).
    #[serde(default)]
    pub api_version: Option<String>,
    /// How edits upload their images (default multipart).
    #[serde(default)]
    pub edit_upload: Option<EditUpload>,
    /// Allow plain http to a non-loopback host.
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// Non-secret headers sent with every call to the endpoint.
    #[serde(default)]
    pub extra_headers: Option<BTreeMap<String, String>>,
}

impl std::fmt::Debug for EndpointArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointArgs")
            .field("profile_id", &self.profile_id)
            .field("dialect", &self.dialect)
            .field("auth", &self.auth)
            .field("deployment", &self.deployment)
            .field("edit_upload", &self.edit_upload)
            .field("extra_headers", &self.extra_headers.as_ref().map(|h| h.keys().collect::<Vec<_>>()))
            .finish_non_exhaustive()
    }
}

/// A checked endpoint profile with the key to send (if any).
#[derive(Clone)]
pub struct Target {
    /// The normalized base URL (with `api-version` applied).
    pub endpoint: Endpoint,
    /// The profile id.
    pub profile_id: String,
    /// The API family.
    pub dialect: DialectName,
    /// Azure's deployment.
    pub deployment: Option<String>,
    /// How edits upload their images.
    pub edit_upload: EditUpload,
    credential: Option<Credential>,
    headers: Vec<(String, String)>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Target {{ profile_id: {:?}, dialect: {:?}, credential: {} }}", self.profile_id, self.dialect, self.credential.is_some())
    }
}

fn config(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidConfig, message)
}

/// `A-Z a-z 0-9 _ -`, 1–64 characters.
pub fn check_profile_id(id: &str) -> Result<(), Error> {
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(config("The endpoint profile id must be 1-64 letters, digits, _ or -."));
    }
    Ok(())
}

/// An HTTP header name (a token) of at most 64 characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Trims and drops an empty optional text.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Target {
    /// Checks `args` and binds `key` to the profile's auth header (`auth: none` sends no key).
    pub fn check(args: &EndpointArgs, key: Option<String>) -> Result<Target, Error> {
        check_profile_id(&args.profile_id)?;
        let mut endpoint = Endpoint::check(&args.base_url, args.allow_insecure_http)?;
        let deployment = given(&args.deployment);
        match (args.dialect, deployment) {
            (DialectName::Azure, None) => return Err(config("Azure's classic form needs the deployment name.")),
            (DialectName::Azure, Some(d)) if d.len() > 64 || !d.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')) => {
                return Err(config("The Azure deployment name must be 1-64 letters, digits, ., _ or -."));
            }
            (DialectName::Azure, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(config("Only the Azure dialect takes a deployment name.")),
        }
        if let Some(version) = given(&args.api_version) {
            if version.len() > 32 || !version.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.')) {
                return Err(config("The API version must be 1-32 letters, digits, . or -."));
            }
            endpoint = endpoint.with_query_pair("api-version", version);
        }
        if args.dialect == DialectName::Azure && !endpoint.has_query_key("api-version") {
            return Err(config("Azure's classic form needs its API version (api-version)."));
        }
        let key = key.filter(|k| !k.is_empty());
        let mut headers = Vec::new();
        let extra = args.extra_headers.as_ref().map(|h| h.iter().collect::<Vec<_>>()).unwrap_or_default();
        if extra.len() > MAX_EXTRA_HEADERS {
            return Err(config(format!("An endpoint takes at most {MAX_EXTRA_HEADERS} extra headers.")));
        }
        for (name, value) in extra {
            let lower = name.trim().to_ascii_lowercase();
            if !is_header_name(&lower) {
                return Err(config("An extra header's name is not a valid HTTP header name."));
            }
            if REFUSED_HEADERS.contains(&lower.as_str()) {
                return Err(config(format!("The extra header {lower} is not allowed: the API key goes in the key field.")));
            }
            if value.len() > 1024 || !value.bytes().all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic()) {
                return Err(config(format!("The extra header {lower} must be at most 1024 visible ASCII characters.")));
            }
            if key.as_deref().is_some_and(|k| value.contains(k)) {
                return Err(config(format!("The extra header {lower} holds the API key; extra headers cannot carry credentials.")));
            }
            headers.push((lower, value.trim().to_string()));
        }
        let credential = key.and_then(|key| match args.auth {
            AuthStyle::Bearer => Some(Credential { header: "authorization", value: format!("Bearer {key}") }),
            AuthStyle::ApiKey => Some(Credential { header: "api-key", value: key }),
            AuthStyle::XGoogApiKey => Some(Credential { header: "x-goog-api-key", value: key }),
            AuthStyle::None => None,
        });
        Ok(Target {
            endpoint,
            profile_id: args.profile_id.clone(),
            dialect: args.dialect,
            deployment: deployment.map(str::to_string),
            edit_upload: args.edit_upload.unwrap_or_default(),
            credential,
            headers,
        })
    }

    /// The URL of one operation under the base URL, keeping its query.
    pub fn url_for(&self, operation: &str) -> Url {
        self.endpoint.url_for(operation)
    }

    /// A request to `url` with the key's header and the extra headers.
    pub fn request(&self, method: Method, url: Url, body: Body) -> OutboundRequest {
        OutboundRequest { method, url, credential: self.credential.clone(), headers: self.headers.clone(), body }
    }

    /// A JSON `POST`.
    pub fn post_json(&self, url: Url, body: Vec<u8>) -> OutboundRequest {
        self.request(Method::Post, url, Body::Json(body))
    }

    /// A `GET` without a body.
    pub fn get(&self, url: Url) -> OutboundRequest {
        self.request(Method::Get, url, Body::Empty)
    }
}
