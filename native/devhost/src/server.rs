//! The HTTP face of the dev host on 127.0.0.1 (endpoints in `native/devhost/README.md`).

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use tracing::Level;

use crate::managed_stand_in::{GatewayFailure, ManagedGateway, Operation, Session};
use crate::logfile;
use crate::supervisor::Supervisor;

/// The page's Content-Security-Policy: no inline scripts, no eval, no remote code; images may
/// come from the dev host, data/blob URLs, https and loopback providers (the fake provider).
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http://127.0.0.1:*; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/// How long `GET /host/events` waits for an event before answering an empty list.
const EVENT_POLL_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Invoke and gateway bodies may carry up to 16 reference images as base64.
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// Everything the handlers share.
pub struct App {
    /// The plugin (in its worker process).
    pub plugin: Arc<Supervisor>,
    /// The managed-gateway stand-in.
    pub gateway: ManagedGateway,
    /// The built dev page (`native/devhost/page/dist`).
    pub page_dir: PathBuf,
    /// The built plugin bundle (`dist/`).
    pub bundle_dir: PathBuf,
    /// Where `devkit_save_file` puts files.
    pub saved_dir: PathBuf,
    /// `http://127.0.0.1:PORT`.
    pub origin: String,
    /// Suggested custom endpoint base URL (the embedded fake provider), if any.
    pub custom_endpoint_suggestion: Option<String>,
}

type Answer = Response<Full<Bytes>>;

fn respond(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Answer {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE));
    response
}

fn json_answer(status: StatusCode, value: &Value) -> Answer {
    respond(status, "application/json", serde_json::to_vec(value).expect("json values serialize"))
}

/// A rejection: the body is the message, as the page's invoke shim rejects with it.
fn text_error(status: u16, message: &str) -> Answer {
    respond(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), "text/plain; charset=utf-8", message.to_string())
}

fn gateway_error(failure: GatewayFailure) -> Answer {
    text_error(failure.status, &failure.message)
}

/// Serves one request.
pub async fn handle(app: Arc<App>, request: Request<Incoming>) -> Result<Answer, Infallible> {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or("").to_string();
    if method == Method::POST && !same_origin(&app.origin, request.headers().get("origin")) {
        return Ok(text_error(403, "Cross-origin requests are refused by the dev host."));
    }
    let body = if method == Method::POST {
        match Limited::new(request.into_body(), MAX_BODY_BYTES).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => return Ok(text_error(413, "The request body is too large or broke off.")),
        }
    } else {
        Bytes::new()
    };
    let answer = match (method.clone(), path.as_str()) {
        (Method::GET, "/") | (Method::GET, "/index.html") => serve_file(&app.page_dir, "index.html").await,
        (Method::GET, p) if p.starts_with("/assets/") => serve_file(&app.page_dir, &p[1..]).await,
        (Method::GET, "/plugin/index.js") => serve_file(&app.bundle_dir, "index.js").await,
        (Method::GET, "/plugin/styles.css") => serve_file(&app.bundle_dir, "styles.css").await,
        (Method::POST, p) if p.starts_with("/invoke/") => invoke(&app, &p["/invoke/".len()..], &body).await,
        (Method::GET, "/host/info") => json_answer(StatusCode::OK, &info(&app)),
        (Method::GET, "/host/events") => plugin_events(&app, &query).await,
        (Method::GET, "/host/session") => json_answer(StatusCode::OK, &session_hint(app.gateway.session())),
        (Method::POST, "/host/session") => set_session(&app, &body),
        (Method::POST, "/host/gateway/generate") => gateway_call(&app, Operation::Generate, &body).await,
        (Method::POST, "/host/gateway/edit") => gateway_call(&app, Operation::Edit, &body).await,
        (Method::GET, "/host/gateway/outputs") => list_outputs(&app, &query),
        (Method::GET, p) if p.starts_with("/host/gateway/assets/") => match app.gateway.asset(&p["/host/gateway/assets/".len()..]) {
            Some((content_type, bytes)) => respond(StatusCode::OK, &content_type, bytes),
            None => text_error(404, "No such output."),
        },
        (Method::GET, "/host/gateway/faults") => json_answer(StatusCode::OK, &json!({ "queued": app.gateway.queued_faults() })),
        (Method::POST, "/host/gateway/faults") => queue_faults(&app, &body),
        _ => text_error(404, &format!("Nothing at {method} {path}.")),
    };
    Ok(answer)
}

/// Browsers send `Origin` on cross-site POSTs; only the dev page's own origin may call in.
/// Requests without the header (tests, curl) are allowed.
fn same_origin(own: &str, origin: Option<&HeaderValue>) -> bool {
    let Some(origin) = origin.and_then(|o| o.to_str().ok()) else { return true };
    let port = own.rsplit(':').next().unwrap_or("");
    origin == own || origin == format!("http://localhost:{port}")
}

fn content_type_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Reads a file under `root` (fresh on every request, so rebuilds show up on reload).
async fn serve_file(root: &Path, relative: &str) -> Answer {
    let relative = Path::new(relative);
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return text_error(400, "Bad path.");
    }
    let path = root.join(relative);
    match tokio::fs::read(&path).await {
        Ok(bytes) => respond(StatusCode::OK, content_type_for(&path), bytes),
        Err(_) => text_error(
            404,
            &format!("{} is missing. Build it first (npm run dev builds the bundle and the page).", path.display()),
        ),
    }
}

fn info(app: &App) -> Value {
    let plugin = app.plugin.info();
    json!({
        "plugin": { "id": plugin.id, "name": plugin.name, "version": plugin.version, "commands": plugin.commands },
        "customEndpointSuggestion": app.custom_endpoint_suggestion,
        "session": app.gateway.session(),
        "faultsAvailable": app.custom_endpoint_suggestion.is_some(),
    })
}

/// The OPTIONAL, dev-host-only session hint (the real 0.2.16 bridge has none).
fn session_hint(session: Session) -> Value {
    json!({ "session": session, "devHostOnly": true })
}

fn set_session(app: &App, body: &[u8]) -> Answer {
    #[derive(Deserialize)]
    struct SetSession {
        session: String,
    }
    let parsed = serde_json::from_slice::<SetSession>(body);
    let Some(session) = parsed.ok().and_then(|s| Session::parse(&s.session)) else {
        return text_error(400, "Send {\"session\": \"signedOut\" | \"cloud\" | \"enterprise\"}.");
    };
    app.gateway.set_session(session);
    json_answer(StatusCode::OK, &session_hint(session))
}

fn parse_json(body: &[u8], what: &str) -> Result<Value, Answer> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| text_error(400, &format!("Malformed JSON in the {what} body: {e}")))
}

/// Runs on its own task: like the real host, the call goes on to completion (and its outputs are
/// listed) even when the page that made it goes away (a reload closes the connection).
async fn gateway_call(app: &Arc<App>, operation: Operation, body: &[u8]) -> Answer {
    let body = match parse_json(body, "gateway request") {
        Ok(body) => body,
        Err(answer) => return answer,
    };
    let app = Arc::clone(app);
    let call = tokio::spawn(async move { app.gateway.forward(operation, &body).await });
    match call.await {
        Ok(Ok(answer)) => json_answer(StatusCode::OK, &answer),
        Ok(Err(failure)) => gateway_error(failure),
        Err(_) => text_error(500, "The managed gateway call stopped unexpectedly."),
    }
}

fn query_value<'a>(query: &'a str, key: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| pair.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v))
}

/// `GET /host/events?after=<seq>`: the plugin's events newer than `after`, waiting for one.
/// Without `after`: only the newest sequence number, at once (a page starting to listen).
async fn plugin_events(app: &App, query: &str) -> Answer {
    let answer = match query_value(query, "after").map(str::parse::<u64>) {
        None => json!({ "events": [], "last": app.plugin.events().last() }),
        Some(Ok(after)) => app.plugin.events().wait_newer(after, EVENT_POLL_WAIT).await,
        Some(Err(_)) => return text_error(400, "`after` must be a non-negative integer."),
    };
    json_answer(StatusCode::OK, &answer)
}

fn list_outputs(app: &App, query: &str) -> Answer {
    let limit = query_value(query, "limit").and_then(|l| l.parse().ok());
    match app.gateway.list_outputs(query_value(query, "pluginId"), limit) {
        Ok(list) => json_answer(StatusCode::OK, &list),
        Err(failure) => gateway_error(failure),
    }
}

fn queue_faults(app: &App, body: &[u8]) -> Answer {
    #[derive(Deserialize)]
    struct Faults {
        faults: Vec<String>,
    }
    let Ok(faults) = serde_json::from_slice::<Faults>(body) else {
        return text_error(400, "Send {\"faults\": [\"rate-limit:2\", \"500\", …]}.");
    };
    match app.gateway.queue_faults(faults.faults) {
        Ok(_) => json_answer(StatusCode::OK, &json!({ "queued": app.gateway.queued_faults() })),
        Err(failure) => gateway_error(failure),
    }
}

/// `POST /invoke/<command>` with the JSON `invoke(command, args)` carries.
async fn invoke(app: &App, command: &str, body: &[u8]) -> Answer {
    let args = match parse_json(body, "invoke") {
        Ok(Value::Object(args)) => Value::Object(args),
        Ok(_) => return text_error(400, &format!("invalid args for command `{command}`: the arguments must be a JSON object")),
        Err(answer) => return answer,
    };
    match command {
        "plugin_invoke" | "plugin_get_settings" | "plugin_save_settings" => {
            let label = args.pointer("/args/wire_name").and_then(Value::as_str).unwrap_or(command).to_string();
            let reply = app.plugin.call(command, args, label).await;
            match reply.error {
                None if reply.status == 200 => json_answer(StatusCode::OK, &reply.value),
                error => text_error(reply.status.max(400), error.as_deref().unwrap_or("The command failed.")),
            }
        }
        "frontend_log_event" => frontend_log_event(&args),
        "devkit_save_file" => save_file(app, &args).await,
        // The dev host has no native file dialogs: the user "cancelled".
        "devkit_pick_file" | "devkit_pick_directory" => json_answer(StatusCode::OK, &Value::Null),
        other => text_error(404, &format!("command {other} not found")),
    }
}

fn frontend_log_event(args: &Value) -> Answer {
    #[derive(Deserialize)]
    struct LogEvent {
        level: Option<String>,
        scope: String,
        message: String,
        #[serde(default)]
        details: Value,
    }
    let event = match serde_json::from_value::<LogEvent>(args.clone()) {
        Ok(event) => event,
        Err(e) => return text_error(400, &format!("invalid args for command `frontend_log_event`: {e}")),
    };
    let level = match event.level.as_deref().unwrap_or("info") {
        "trace" => Level::TRACE,
        "debug" => Level::DEBUG,
        "info" => Level::INFO,
        "warn" => Level::WARN,
        "error" => Level::ERROR,
        other => return text_error(400, &format!("invalid args for command `frontend_log_event`: unknown level `{other}`")),
    };
    let message = if event.message.trim().is_empty() { "Plugin log event" } else { event.message.trim() };
    logfile::record(level, &event.scope, message, &event.details);
    json_answer(StatusCode::OK, &Value::Null)
}

/// The dev stand-in for the host's save dialog: the file "chosen" is `defaultName` (its last
/// path segment) in `<home>/.haloforge/devhost/saved/`; the command answers that path, as the
/// dialog would. Writing the file is the caller's business, as with the real dialog.
async fn save_file(app: &App, args: &Value) -> Answer {
    let requested = args.get("defaultName").and_then(Value::as_str).unwrap_or("untitled");
    let name = Path::new(requested)
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .unwrap_or("untitled");
    if let Err(e) = tokio::fs::create_dir_all(&app.saved_dir).await {
        return text_error(500, &format!("cannot create {}: {e}", app.saved_dir.display()));
    }
    json_answer(StatusCode::OK, &Value::String(app.saved_dir.join(name).display().to_string()))
}
