//! The managed-gateway stand-in behind the dev page's `window.__HALOFORGE_PLUGIN_HOST__` bridge.
//!
//! The real host sends the plugin's request to HaloForge Cloud or an Enterprise Server with the
//! signed-in session's token; plugins never see it. Here the dev host forwards to an
//! OpenAI-compatible upstream (the embedded fake provider by default) with a server-side token
//! the page never sees, and a simulated session decides whether the call is allowed.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use tracing::Level;

use crate::logfile;

/// The simulated HaloForge session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Session {
    /// No session: every bridge call is rejected with a sign-in message.
    SignedOut,
    /// Signed in to HaloForge Cloud.
    Cloud,
    /// Signed in to an Enterprise Server.
    Enterprise,
}

impl Session {
    /// Parses `signedOut` | `cloud` | `enterprise` (also `signed-out`, `signed_out`).
    pub fn parse(text: &str) -> Option<Session> {
        match text {
            "signedOut" | "signed-out" | "signed_out" => Some(Session::SignedOut),
            "cloud" => Some(Session::Cloud),
            "enterprise" => Some(Session::Enterprise),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Session::SignedOut => "signedOut",
            Session::Cloud => "cloud",
            Session::Enterprise => "enterprise",
        }
    }
}

/// The message a signed-out bridge call is rejected with.
pub const SIGNED_OUT_MESSAGE: &str =
    "Sign in to HaloForge Cloud or your Enterprise Server to use the managed image gateway (not signed in).";

/// The message a call is rejected with when the session ended while it ran.
pub const SIGNED_OUT_MID_REQUEST_MESSAGE: &str =
    "Sign in to HaloForge Cloud or your Enterprise Server to use the managed image gateway (the session ended while the request was running).";

/// One queued misbehaviour of a following managed request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum QueuedFault {
    /// Fake-provider options for the upstream path: `fault=<spec>` or `latency=<ms>`.
    Upstream(String),
    /// The gateway keeps only this many of the upstream's images (outputs withheld, as a
    /// moderation filter does): a partial answer.
    Partial(usize),
}

impl QueuedFault {
    /// `latency=<ms>`, `partial:<count>`, or a fake-provider fault spec.
    fn parse(spec: &str) -> Option<QueuedFault> {
        if let Some(ms) = spec.strip_prefix("latency=") {
            return ms.parse::<u64>().ok().map(|_| QueuedFault::Upstream(spec.to_string()));
        }
        if let Some(count) = spec.strip_prefix("partial:") {
            return count.parse().ok().map(QueuedFault::Partial);
        }
        (fake_provider::Fault::parse(spec).is_some() && !spec.contains(['/', ','])).then(|| QueuedFault::Upstream(format!("fault={spec}")))
    }

    fn spec(&self) -> String {
        match self {
            QueuedFault::Upstream(options) => options.strip_prefix("fault=").unwrap_or(options).to_string(),
            QueuedFault::Partial(count) => format!("partial:{count}"),
        }
    }
}

/// Where managed calls go.
#[derive(Debug, Clone)]
pub struct Upstream {
    /// Base URL ending in the API root, e.g. `http://127.0.0.1:4020/v1` (no trailing slash).
    pub base_url: String,
    /// Bearer token added server-side.
    pub token: String,
    /// The embedded fake provider's origin when it is the upstream (enables queued faults).
    pub embedded_fake_origin: Option<String>,
}

/// A gateway failure: HTTP status and the message the bridge rejects with.
#[derive(Debug)]
pub struct GatewayFailure {
    /// Status the dev host answers with.
    pub status: u16,
    /// The rejection message.
    pub message: String,
}

impl GatewayFailure {
    fn new(status: u16, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }
}

struct StoredOutput {
    asset: Value,
    bytes: Vec<u8>,
    content_type: String,
}

/// The stand-in's state.
pub struct ManagedGateway {
    upstream: Upstream,
    own_origin: String,
    session: Mutex<Session>,
    faults: Mutex<VecDeque<QueuedFault>>,
    outputs: Mutex<VecDeque<StoredOutput>>,
    counter: Mutex<u64>,
    client: reqwest::Client,
}

const MAX_STORED_OUTPUTS: usize = 64;

/// Which upstream operation.
#[derive(Debug, Clone, Copy)]
pub enum Operation {
    /// `POST …/images/generations` (JSON).
    Generate,
    /// `POST …/images/edits` (multipart).
    Edit,
}

impl ManagedGateway {
    /// A gateway forwarding to `upstream`; `own_origin` (`http://127.0.0.1:PORT`) prefixes asset URLs.
    pub fn new(upstream: Upstream, own_origin: String, session: Session) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| format!("cannot build the upstream HTTP client: {e}"))?;
        Ok(Self {
            upstream,
            own_origin,
            session: Mutex::new(session),
            faults: Mutex::new(VecDeque::new()),
            outputs: Mutex::new(VecDeque::new()),
            counter: Mutex::new(0),
            client,
        })
    }

    /// The simulated session.
    pub fn session(&self) -> Session {
        *self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Switches the simulated session.
    pub fn set_session(&self, session: Session) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = session;
        logfile::devhost(Level::INFO, &format!("simulated session set session={}", session.as_str()));
    }

    /// Queues faults, one per following managed request: fake-provider fault specs,
    /// `latency=<ms>` (a slow upstream) or `partial:<count>` (only that many images answered).
    pub fn queue_faults(&self, specs: Vec<String>) -> Result<usize, GatewayFailure> {
        if self.upstream.embedded_fake_origin.is_none() {
            return Err(GatewayFailure::new(409, "Faults can only be queued when the upstream is the embedded fake provider."));
        }
        let parsed = specs
            .iter()
            .map(|spec| QueuedFault::parse(spec).ok_or_else(|| GatewayFailure::new(400, format!("Unknown fault spec: {spec}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        faults.extend(parsed);
        Ok(faults.len())
    }

    /// Faults still queued.
    pub fn queued_faults(&self) -> Vec<String> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner()).iter().map(QueuedFault::spec).collect()
    }

    fn require_session(&self) -> Result<Session, GatewayFailure> {
        match self.session() {
            Session::SignedOut => Err(GatewayFailure::new(401, SIGNED_OUT_MESSAGE)),
            session => Ok(session),
        }
    }

    fn url(&self, operation: Operation, fault: Option<&QueuedFault>) -> String {
        let path = match operation {
            Operation::Generate => "images/generations",
            Operation::Edit => "images/edits",
        };
        match (fault, &self.upstream.embedded_fake_origin) {
            (Some(QueuedFault::Upstream(options)), Some(origin)) => format!("{origin}/fake/{options}/v1/{path}"),
            _ => format!("{}/{path}", self.upstream.base_url),
        }
    }

    /// Keeps the token out of anything that reaches the page or the log.
    fn scrub(&self, text: &str) -> String {
        if self.upstream.token.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.upstream.token, "[redacted]")
        }
    }

    /// `generateImages(pluginId, request)` / `editImages(pluginId, request)`: the bridge body is
    /// `{ pluginId, request }`; the answer is the upstream's JSON plus `hf_output_assets`.
    pub async fn forward(&self, operation: Operation, body: &Value) -> Result<Value, GatewayFailure> {
        let session = self.require_session()?;
        let plugin_id = plugin_id_of(body)?;
        let request = body
            .get("request")
            .and_then(Value::as_object)
            .ok_or_else(|| GatewayFailure::new(400, "The gateway request is missing: call it with (pluginId, request)."))?;
        let model = request.get("model").and_then(Value::as_str).unwrap_or("").to_string();
        let op_name = match operation {
            Operation::Generate => "generate",
            Operation::Edit => "edit",
        };
        let summary = format!("operation={op_name} plugin={plugin_id} session={} model={model}", session.as_str());
        logfile::devhost(Level::INFO, &format!("managed gateway request started {summary}"));
        let started = Instant::now();
        let fault = self.faults.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        let outcome = self.send(operation, request, fault.as_ref()).await;
        // The call belongs to the session it started in: once that ended, its answer is dropped.
        let outcome = match self.session() {
            Session::SignedOut => Err(GatewayFailure::new(401, SIGNED_OUT_MID_REQUEST_MESSAGE)),
            _ => outcome,
        };
        let elapsed = started.elapsed().as_millis();
        match outcome {
            Ok(mut answer) => {
                if let Some(QueuedFault::Partial(count)) = fault {
                    withhold_images(&mut answer, count);
                }
                let count = self.attach_assets(&mut answer, operation, &plugin_id, &model);
                logfile::devhost(Level::INFO, &format!("managed gateway request succeeded {summary} elapsed_ms={elapsed} outputs={count}"));
                Ok(answer)
            }
            Err(failure) => {
                logfile::devhost(
                    Level::WARN,
                    &format!("managed gateway request failed {summary} elapsed_ms={elapsed} status={}", failure.status),
                );
                Err(failure)
            }
        }
    }

    async fn send(&self, operation: Operation, request: &Map<String, Value>, fault: Option<&QueuedFault>) -> Result<Value, GatewayFailure> {
        let url = self.url(operation, fault);
        let builder = self.client.post(&url).bearer_auth(&self.upstream.token);
        let builder = match operation {
            Operation::Generate => builder.json(request),
            Operation::Edit => builder.multipart(edit_form(request)?),
        };
        let response = builder.send().await.map_err(|e| {
            GatewayFailure::new(502, self.scrub(&format!("The managed gateway could not reach its upstream: {}", e.without_url())))
        })?;
        let status = response.status().as_u16();
        let text = response
            .text()
            .await
            .map_err(|e| GatewayFailure::new(502, self.scrub(&format!("The managed gateway's upstream answer broke off: {}", e.without_url()))))?;
        let parsed = serde_json::from_str::<Value>(&text).ok();
        if !(200..300).contains(&status) {
            let detail = parsed
                .as_ref()
                .and_then(|v| v.pointer("/error/message"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| text.chars().take(200).collect());
            let status_out = if status == 429 { 429 } else { 502 };
            return Err(GatewayFailure::new(
                status_out,
                self.scrub(&format!("The managed gateway's upstream answered HTTP {status}: {}", detail.trim())),
            ));
        }
        parsed.filter(Value::is_object).ok_or_else(|| GatewayFailure::new(502, "The managed gateway's upstream answered with something other than JSON."))
    }

    /// Records every base64 output as an asset (for `listOutputs`) and lists them in
    /// `hf_output_assets`, as the real gateway's answers do. Returns the output count.
    fn attach_assets(&self, answer: &mut Value, operation: Operation, plugin_id: &str, model: &str) -> usize {
        let data = answer.get("data").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut assets = Vec::new();
        for item in &data {
            let Some(bytes) = item
                .get("b64_json")
                .and_then(Value::as_str)
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            else {
                continue;
            };
            let id = {
                let mut counter = self.counter.lock().unwrap_or_else(|e| e.into_inner());
                *counter += 1;
                format!("out_dev_{:06}", *counter)
            };
            let content_type = sniff(&bytes).to_string();
            let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let asset = json!({
                "id": id,
                "endpoint": match operation { Operation::Generate => "/v1/images/generations", Operation::Edit => "/v1/images/edits" },
                "object_ref": format!("devhost/outputs/{id}"),
                "public_url": format!("{}/host/gateway/assets/{id}", self.own_origin),
                "content_type": content_type,
                "checksum_sha256": hex(&Sha256::digest(&bytes)),
                "size_bytes": bytes.len(),
                "model": model,
                "source": format!("plugin:{plugin_id}"),
                "retention_expires_at": null,
                "request_log_id": null,
                "status": "ready",
                "scan_status": "clean",
                "share_scope": "private",
                "created_at": now,
                "updated_at": now,
            });
            assets.push(asset.clone());
            let mut outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
            outputs.push_front(StoredOutput { asset, bytes, content_type });
            outputs.truncate(MAX_STORED_OUTPUTS);
        }
        if let Some(object) = answer.as_object_mut() {
            object.insert("hf_output_assets".into(), Value::Array(assets));
        }
        data.len()
    }

    /// `listOutputs(pluginId, limit?)`: newest first, default 20, at most 100.
    pub fn list_outputs(&self, plugin_id: Option<&str>, limit: Option<usize>) -> Result<Value, GatewayFailure> {
        self.require_session()?;
        let plugin_id = plugin_id.filter(|p| !p.is_empty()).ok_or_else(|| GatewayFailure::new(400, "pluginId is required."))?;
        let source = format!("plugin:{plugin_id}");
        let outputs: Vec<Value> = self
            .outputs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|o| o.asset.get("source").and_then(Value::as_str) == Some(source.as_str()))
            .take(limit.unwrap_or(20).clamp(1, 100))
            .map(|o| o.asset.clone())
            .collect();
        Ok(json!({ "outputs": outputs }))
    }

    /// The bytes behind an asset's `public_url`.
    pub fn asset(&self, id: &str) -> Option<(String, Vec<u8>)> {
        self.outputs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|o| o.asset.get("id").and_then(Value::as_str) == Some(id))
            .map(|o| (o.content_type.clone(), o.bytes.clone()))
    }
}

/// Keeps the first `count` images of an answer's `data`.
fn withhold_images(answer: &mut Value, count: usize) {
    if let Some(data) = answer.get_mut("data").and_then(Value::as_array_mut) {
        data.truncate(count);
    }
}

fn plugin_id_of(body: &Value) -> Result<String, GatewayFailure> {
    body.get("pluginId")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .ok_or_else(|| GatewayFailure::new(400, "The plugin id is missing: the bridge takes (pluginId, request)."))
}

fn sniff(bytes: &[u8]) -> &'static str {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => "application/octet-stream",
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The edit request as the multipart form OpenAI's `/images/edits` takes: scalar fields as text,
/// each of `images` under its `field_name` (default `image`), `mask` under `mask`.
fn edit_form(request: &Map<String, Value>) -> Result<reqwest::multipart::Form, GatewayFailure> {
    let mut form = reqwest::multipart::Form::new();
    for (key, value) in request {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        form = form.text(key.clone(), text);
    }
    let images = request
        .get("images")
        .and_then(Value::as_array)
        .filter(|i| !i.is_empty())
        .ok_or_else(|| GatewayFailure::new(400, "An edit needs at least one image in `images`."))?;
    for image in images {
        form = form.part(field_name(image, "image"), file_part(image)?);
    }
    if let Some(mask) = request.get("mask").filter(|m| m.is_object()) {
        form = form.part(field_name(mask, "mask"), file_part(mask)?);
    }
    Ok(form)
}

fn field_name(file: &Value, default: &str) -> String {
    file.get("field_name").and_then(Value::as_str).unwrap_or(default).to_string()
}

fn file_part(file: &Value) -> Result<reqwest::multipart::Part, GatewayFailure> {
    let encoded = file.get("b64_json").and_then(Value::as_str).unwrap_or("");
    let encoded = encoded.split_once(";base64,").map_or(encoded, |(_, data)| data);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| GatewayFailure::new(400, "An edit file's b64_json is not valid base64."))?;
    let name = file.get("file_name").and_then(Value::as_str).unwrap_or("image.png").to_string();
    let content_type = file.get("content_type").and_then(Value::as_str).unwrap_or_else(|| sniff(&bytes)).to_string();
    reqwest::multipart::Part::bytes(bytes)
        .file_name(name)
        .mime_str(&content_type)
        .map_err(|_| GatewayFailure::new(400, "An edit file's content_type is not a MIME type."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_parse_from_their_wire_names() {
        assert_eq!(Session::parse("signedOut"), Some(Session::SignedOut));
        assert_eq!(Session::parse("enterprise"), Some(Session::Enterprise));
        assert_eq!(Session::parse("Cloud"), None);
        assert_eq!(serde_json::to_value(Session::SignedOut).unwrap(), json!("signedOut"));
    }

    #[test]
    fn queued_faults_parse_as_upstream_options_or_a_partial_answer() {
        assert_eq!(QueuedFault::parse("500"), Some(QueuedFault::Upstream("fault=500".into())));
        assert_eq!(QueuedFault::parse("latency=2000"), Some(QueuedFault::Upstream("latency=2000".into())));
        assert_eq!(QueuedFault::parse("partial:1"), Some(QueuedFault::Partial(1)));
        assert_eq!(QueuedFault::parse("latency=soon"), None);
        assert_eq!(QueuedFault::parse("500,latency=1"), None);
        assert_eq!(QueuedFault::parse("redirect:http://x/y"), None);
        assert_eq!(QueuedFault::parse("latency=2000").map(|f| f.spec()), Some("latency=2000".into()));
        assert_eq!(QueuedFault::parse("rate-limit:2").map(|f| f.spec()), Some("rate-limit:2".into()));
    }

    #[test]
    fn a_partial_answer_keeps_the_first_images() {
        let mut answer = json!({ "data": [{ "b64_json": "a" }, { "b64_json": "b" }, { "b64_json": "c" }] });
        withhold_images(&mut answer, 1);
        assert_eq!(answer, json!({ "data": [{ "b64_json": "a" }] }));
    }

    #[test]
    fn png_jpeg_and_webp_are_recognised_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n"), "image/png");
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), "image/jpeg");
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(sniff(b"GIF89a"), "application/octet-stream");
    }
}
