//! Property: for any sequence of profile edits (a profile pointed at another base URL), key
//! saves, key clears, an earlier version's key adopted, and calls by any profile to any base URL,
//! a key is only ever sent to the origin it was last saved for, and only for its own profile,
//! in the header of the profile's auth style (`auth: "none"` sends no key and is never refused).
//! Runs the real command path with a recording transport (no sockets).

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use managed_image_gateway::{BoxFuture, Endpoint, InboundResponse, ManagedImageGateway, OutboundRequest, Transport, TransportFailure};
use proptest::prelude::*;
use serde_json::json;
use support::{FakeContext, Host, PNG_B64};

/// Records where each request went and which key it carried; answers one image.
#[derive(Default)]
struct Recording {
    sent: Mutex<Vec<(String, Option<String>)>>,
}

impl Transport for Recording {
    fn send(&self, request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        // The key as sent, whichever header the profile's auth style put it in.
        let key = request.credential.as_ref().map(|c| c.value.strip_prefix("Bearer ").unwrap_or(&c.value).to_string());
        self.sent.lock().unwrap().push((request.url.origin().ascii_serialization(), key));
        let body = json!({ "data": [{ "b64_json": PNG_B64 }] }).to_string().into_bytes();
        Box::pin(async move { Ok(InboundResponse { status: 200, headers: vec![("content-type".into(), "application/json".into())], body }) })
    }
}

/// Base URLs on a few origins, several spelled two ways (case, default port, path, query).
const BASES: [&str; 9] = [
    "https://a.example/v1",
    "https://A.EXAMPLE:443/openai/v1?api-version=1",
    "https://a.example:8443/v1",
    "http://a.example/v1",
    "https://b.example/v1",
    "https://a.example.b.example/v1",
    "http://127.0.0.1:8080/v1",
    "http://localhost:8080/v1",
    "https://b.example/v1/images/generations",
];
const PROFILES: [&str; 3] = ["default", "work", "home"];
/// The auth styles a call's profile may have; `none` sends no key, so it is never refused.
const AUTHS: [&str; 4] = ["bearer", "api-key", "x-goog-api-key", "none"];
const KEYS: [&str; 3] = ["sk-prop-key-alpha-0001", "sk-prop-key-bravo-0002", "sk-prop-key-charlie-03"];

#[derive(Debug, Clone)]
enum Step {
    Save { profile: usize, base: usize, key: usize },
    Clear { profile: usize },
    /// The profile's base URL changes without a new key (the call then names the new one); its
    /// auth style is one of [`AUTHS`].
    Call { profile: usize, base: usize, command: usize, auth: usize },
    Adopt { profile: usize, base: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (0..3usize, 0..BASES.len(), 0..3usize).prop_map(|(profile, base, key)| Step::Save { profile, base, key }),
        1 => (0..3usize).prop_map(|profile| Step::Clear { profile }),
        4 => (0..3usize, 0..BASES.len(), 0..3usize, 0..AUTHS.len()).prop_map(|(profile, base, command, auth)| Step::Call { profile, base, command, auth }),
        1 => (0..3usize, 0..BASES.len()).prop_map(|(profile, base)| Step::Adopt { profile, base }),
    ]
}

fn origin(base: &str) -> String {
    Endpoint::check(base, true).unwrap().base().origin().ascii_serialization()
}

#[test]
fn a_key_never_reaches_another_origin_whatever_the_sequence() {
    let config = ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(legacy in prop::option::of(0..3usize), steps in prop::collection::vec(step(), 1..24))| {
        let transport = Arc::new(Recording::default());
        let ctx = FakeContext::with_settings(match legacy {
            Some(key) => json!({ "customEndpointApiKey": KEYS[key] }),
            None => json!({}),
        });
        let host = Host::load_with(ManagedImageGateway::with_transport(transport.clone()), ctx);
        // The model: each profile's key and the origin it was saved for.
        let mut saved: HashMap<&str, (&str, String)> = HashMap::new();
        let mut legacy_key = legacy.map(|key| KEYS[key]);
        for (index, step) in steps.iter().enumerate() {
            match *step {
                Step::Save { profile, base, key } => {
                    let answer = host.invoke("set_api_key", json!({ "profileId": PROFILES[profile], "baseUrl": BASES[base], "apiKey": KEYS[key] })).unwrap();
                    prop_assert_eq!(&answer["ok"], &json!(true));
                    saved.insert(PROFILES[profile], (KEYS[key], origin(BASES[base])));
                }
                Step::Clear { profile } => {
                    host.invoke("clear_api_key", json!({ "profileId": PROFILES[profile] })).unwrap();
                    saved.remove(PROFILES[profile]);
                }
                Step::Adopt { profile, base } => {
                    let answer = host.invoke("adopt_legacy_key", json!({ "profileId": PROFILES[profile], "baseUrl": BASES[base] })).unwrap();
                    prop_assert_eq!(&answer["adopted"], &json!(legacy_key.is_some() && !saved.contains_key(PROFILES[profile])));
                    if let Some(key) = legacy_key.take() {
                        saved.entry(PROFILES[profile]).or_insert((key, origin(BASES[base])));
                    }
                }
                Step::Call { profile, base, command, auth } => {
                    let before = transport.sent.lock().unwrap().len();
                    let id = format!("p-{index}");
                    let endpoint = json!({ "profileId": PROFILES[profile], "baseUrl": BASES[base], "dialect": "images", "auth": AUTHS[auth], "allowInsecureHttp": true });
                    let (name, args) = match command {
                        0 => ("generate_images", json!({ "requestId": id, "endpoint": endpoint, "request": { "model": "m", "prompt": "p" } })),
                        1 => ("edit_images", json!({ "requestId": id, "endpoint": endpoint, "request": { "prompt": "p", "images": [{ "file_name": "a.png", "b64_json": PNG_B64 }] } })),
                        _ => ("test_connection", json!({ "requestId": id, "endpoint": endpoint })),
                    };
                    let answer = host.invoke(name, args).unwrap();
                    let sent = transport.sent.lock().unwrap()[before..].to_vec();
                    match saved.get(PROFILES[profile]).filter(|_| AUTHS[auth] != "none") {
                        Some((_, bound)) if *bound != origin(BASES[base]) => {
                            prop_assert_eq!(&answer["error"]["code"], &json!("key_origin_mismatch"), "{}", answer);
                            prop_assert!(sent.is_empty(), "sent despite the mismatch: {:?}", sent);
                        }
                        expected => {
                            prop_assert_eq!(sent.len(), 1, "{}", answer);
                            prop_assert_eq!(sent[0].1.as_deref(), expected.map(|(key, _)| *key));
                        }
                    }
                }
            }
        }
        let everything = host.ctx.log_lines().concat();
        for key in KEYS {
            prop_assert!(!everything.contains(key), "a key in the log");
        }
    });
}
