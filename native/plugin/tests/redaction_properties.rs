//! Property: secrets planted in the API key, the base URL, response headers, provider error
//! bodies and transport errors never appear in any answer or log line. Runs the real command
//! path with a scripted transport (no sockets), so 10,000 cases stay fast.

mod support;

use std::sync::{Arc, Mutex};

use managed_image_gateway::{BoxFuture, InboundResponse, ManagedImageGateway, OutboundRequest, Transport, TransportFailure};
use proptest::prelude::*;
use serde_json::json;
use support::{generate_args, Host};

/// Answers every request with the scripted outcome.
#[derive(Default)]
struct ScriptedTransport {
    next: Mutex<Option<Result<InboundResponse, TransportFailure>>>,
}

impl Transport for ScriptedTransport {
    fn send(&self, _request: OutboundRequest, _max_body: u64) -> BoxFuture<'_, Result<InboundResponse, TransportFailure>> {
        let outcome = self.next.lock().unwrap().clone().expect("a scripted outcome");
        Box::pin(async move { outcome })
    }
}

#[derive(Debug, Clone)]
struct Plant {
    key: String,
    tokens: [String; 4],
    url_style: u8,
    failure: u8,
    status: u16,
    body_style: u8,
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{12,32}"
}

fn plant() -> impl Strategy<Value = Plant> {
    (
        "[!-~]{8,48}",
        [token(), token(), token(), token()],
        0u8..3,
        0u8..6,
        prop::sample::select(vec![200u16, 400, 401, 403, 404, 413, 429, 500, 502, 503]),
        0u8..8,
    )
        .prop_map(|(key, tokens, url_style, failure, status, body_style)| Plant { key, tokens, url_style, failure, status, body_style })
}

fn provider_text(p: &Plant) -> String {
    let [a, b, c, _] = &p.tokens;
    match p.body_style {
        0 => format!("Incorrect API key provided: {}.", p.key),
        1 => format!("Authorization: Bearer {a}"),
        2 => format!("upstream https://user:{a}@proxy.example.com/v1?api-key={b}&sig={c} failed"),
        3 => format!("see data:image/png;base64,{a}{b}{c} and bearer {a}"),
        4 => format!("{{\"api_key\": \"{a}\", \"client_secret\": \"{b}\"}} key {}", p.key),
        5 => format!("Cookie: session={a}; token={b}"),
        6 => format!("long run {}", format!("{a}{b}{c}").repeat(4)),
        _ => format!("key={}", p.key),
    }
}

fn script(p: &Plant) -> Result<InboundResponse, TransportFailure> {
    let [a, b, ..] = &p.tokens;
    let text = provider_text(p);
    let headers = vec![
        ("set-cookie".to_string(), format!("session={a}")),
        ("www-authenticate".to_string(), format!("Bearer realm={b}")),
        ("x-request-id".to_string(), if p.body_style % 2 == 0 { p.key.clone() } else { "req_ok".to_string() }),
        ("content-type".to_string(), "application/json".to_string()),
    ];
    match p.failure {
        0 => Err(TransportFailure::Io(text)),
        1 => Err(TransportFailure::Connect(format!("tcp connect error: {text}"))),
        2 => Err(TransportFailure::Timeout(text)),
        3 if p.status == 200 => {
            // A success whose provider text echoes secrets in revised_prompt.
            let body = json!({ "created": 1, "data": [{ "b64_json": "iVBORw0KGgo=", "revised_prompt": text }] });
            Ok(InboundResponse { status: 200, headers, body: serde_json::to_vec(&body).unwrap() })
        }
        _ => {
            let body = json!({ "error": { "message": text, "type": "invalid_request_error", "request_id": p.key } });
            let status = if p.status == 200 { 500 } else { p.status };
            Ok(InboundResponse { status, headers, body: serde_json::to_vec(&body).unwrap() })
        }
    }
}

fn base_url(p: &Plant) -> String {
    let [a, b, c, d] = &p.tokens;
    match p.url_style {
        0 => format!("https://bob:{d}@api.example.com/v1"),
        1 => format!("https://api.example.com/openai/v1?api-key={c}&sig={d}"),
        _ => format!("https://api.example.com/v1?token={a}{b}"),
    }
}

#[test]
fn planted_secrets_never_leave_the_crate() {
    let transport = Arc::new(ScriptedTransport::default());
    let host = Host::load_plugin(ManagedImageGateway::with_transport(transport.clone()));
    let config = ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() };
    let case = std::sync::atomic::AtomicU64::new(0);
    proptest!(config, |(p in plant())| {
        host.ctx.logs.lock().unwrap().clear();
        // Every base URL style below is on this origin, so the key is sent with each call.
        let set = host.invoke("set_api_key", json!({ "profileId": "default", "baseUrl": "https://api.example.com/v1", "apiKey": p.key })).unwrap();
        prop_assert_eq!(&set["ok"], &json!(true));
        *transport.next.lock().unwrap() = Some(script(&p));
        let id = format!("prop-{}", case.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let answer = host.invoke("generate_images", generate_args(&id, &base_url(&p), json!({ "model": "gpt-image-1", "prompt": "p" })));
        let answer = match answer { Ok(value) => value.to_string(), Err(error) => error.to_string() };
        let everything = format!("{answer}\n{}\n{set}", host.ctx.log_lines().join("\n"));
        let mut secrets = vec![p.key.clone()];
        secrets.extend(p.tokens.iter().cloned());
        for secret in &secrets {
            prop_assert!(!everything.contains(secret.as_str()), "secret {:?} leaked in case {:?}:\n{}", secret, p, everything);
        }
        // Whatever happened, the request logged exactly one started and one terminal line.
        prop_assert_eq!(host.ctx.log_lines().iter().filter(|l| l.contains(&format!("request_id={id} "))).count(), 2);
    });
}

#[test]
fn a_known_secret_never_survives_whatever_surrounds_it() {
    let config = ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(secret in "\\PC{4,24}", before in "\\PC{0,80}", after in "\\PC{0,80}", spelling in 0u8..3)| {
        let planted = match spelling {
            0 => secret.clone(),
            1 => serde_json::to_string(&secret).unwrap(),
            _ => secret.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect(),
        };
        let out = managed_image_gateway::redact(&format!("{before}{planted}{after}{planted}"), &[secret.as_str()]);
        prop_assert!(!out.contains(secret.as_str()), "{:?} survived in {:?}", secret, out);
    });
}
