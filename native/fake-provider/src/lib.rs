//! A local, OpenAI-compatible image API that can misbehave on request.
//!
//! It answers `POST …/images/generations` (JSON), `POST …/images/edits` (multipart),
//! `POST …/responses` (image_generation tool), `GET …/models` and `GET /files/<seed>.png` with
//! deterministic small PNGs derived from the prompt. Routes match on the path's end, so any
//! proxy-style prefix (`/openai/v1/…`) works.
//!
//! Behaviour is chosen per server ([`Config`]) or per request with a path prefix
//! `/fake/<options>/…`, e.g. `http://127.0.0.1:PORT/fake/fault=drip:100,latency=50/v1`, so one
//! server (in a test, the benchmark or the dev host) can serve every scenario side by side.
//! Options: `fault=<spec>` (see [`Fault::parse`]), `latency=<ms>`, `image-bytes=<n>`,
//! `image-size=<W>x<H>` (final images of that many pixels instead of 8x8), `partial-delay=<ms>`,
//! `keep-open` (a streamed answer keeps the connection open after its last event, as some servers
//! and proxies do), `ignore-options` (size and quality asked for are ignored, see [`echo`]), and `fault-times=<n>`: the fault answers only the first `n` requests with the
//! same options (later ones are healthy), e.g. a rate limit that a retry gets past.
//! A generation or edit whose prompt contains [`REFUSE_MARKER`] is refused (400, as a safety
//! system would), so one request of a batch can fail while the others succeed.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod echo;
pub mod http;
pub mod image;
pub mod modes;
pub mod stream;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Map, Value};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub use http::{Part, Request};
pub use modes::Mode;
use modes::Admitted;

/// A misbehaviour the fake can be asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer this status with an OpenAI-style error body; `message` overrides the default text.
    Status {
        /// HTTP status.
        status: u16,
        /// The `error.message` to send.
        message: Option<String>,
    },
    /// 429 with `Retry-After: <secs>`.
    RateLimited {
        /// Seconds in `Retry-After`.
        retry_after_secs: u64,
    },
    /// An HTML error page with this status (what a proxy or CDN sends).
    HtmlPage(u16),
    /// 200 with a JSON body cut in the middle (and a matching Content-Length).
    TruncatedJson,
    /// 200 with a body of this many bytes; Content-Length unless `chunked`.
    HugeBody {
        /// Body size in bytes.
        bytes: u64,
        /// Send it chunked, without a Content-Length.
        chunked: bool,
    },
    /// 200 headers, then one body byte per interval, for a minute.
    SlowDrip(Duration),
    /// Read the request, then reset the connection (RST).
    Reset,
    /// 200 with `"data": []`.
    EmptyData,
    /// 200 whose image URLs are plain http on a public host.
    InsecureUrl,
    /// 307 to this location.
    Redirect(String),
    /// A streaming request gets its partials, then the connection closes mid-stream.
    StreamCut,
    /// A streaming request gets its partials, then nothing more, ever.
    StreamHang,
    /// A streaming request gets the plain JSON answer (an endpoint that ignores `stream`).
    NoStream,
    /// A streaming request gets 400 `Unknown parameter: 'stream'.`; plain requests work.
    StreamRefused,
    /// A relay in front of the provider gave up waiting (after `latency`): 502 (nginx's "Bad
    /// Gateway"), 504 (nginx's "Gateway Time-out") or 524 (Cloudflare's "A timeout occurred"),
    /// each with the proxy's HTML page.
    Relay(u16),
}

impl Fault {
    /// Parses `status:<code>[:<message>]`, `rate-limit:<secs>`, `html:<code>`, `truncated`,
    /// `huge:<bytes>`, `huge-chunked:<bytes>`, `drip:<ms>`, `reset`, `empty-data`,
    /// `insecure-url`, `redirect:<url>`, `stream-cut`, `stream-hang`, `no-stream`,
    /// `stream-refused`, `relay-502`, `relay-504`, `relay-524`; a bare status code (`500`) means
    /// `status:<code>`.
    pub fn parse(spec: &str) -> Option<Fault> {
        let (name, arg) = spec.split_once(':').unwrap_or((spec, ""));
        let number = || arg.parse::<u64>().ok();
        Some(match name {
            "status" => {
                let (code, message) = arg.split_once(':').unwrap_or((arg, ""));
                Fault::Status {
                    status: code.parse().ok()?,
                    message: (!message.is_empty()).then(|| message.to_string()),
                }
            }
            "rate-limit" => Fault::RateLimited { retry_after_secs: number().unwrap_or(1) },
            "html" => Fault::HtmlPage(arg.parse().ok()?),
            "truncated" => Fault::TruncatedJson,
            "huge" => Fault::HugeBody { bytes: number()?, chunked: false },
            "huge-chunked" => Fault::HugeBody { bytes: number()?, chunked: true },
            "drip" => Fault::SlowDrip(Duration::from_millis(number().unwrap_or(100))),
            "reset" => Fault::Reset,
            "empty-data" => Fault::EmptyData,
            "insecure-url" => Fault::InsecureUrl,
            "redirect" => Fault::Redirect(arg.to_string()),
            "stream-cut" => Fault::StreamCut,
            "stream-hang" => Fault::StreamHang,
            "no-stream" => Fault::NoStream,
            "stream-refused" => Fault::StreamRefused,
            "relay-502" => Fault::Relay(502),
            "relay-504" => Fault::Relay(504),
            "relay-524" => Fault::Relay(524),
            code => Fault::Status { status: code.parse().ok()?, message: None },
        })
    }
}

/// How the server behaves when the request path does not say otherwise.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// When set, requests must carry `Authorization: Bearer <key>` (else 401, which echoes the
    /// presented token the way real providers partly do — a redaction test target).
    pub api_key: Option<String>,
    /// Delay before answering.
    pub latency: Duration,
    /// Misbehaviour for every request.
    pub fault: Option<Fault>,
    /// Pad every PNG to about this many bytes.
    pub image_bytes: Option<usize>,
    /// Final images of this many pixels (width, height) instead of 8x8.
    pub image_size: Option<(u32, u32)>,
    /// Delay before each server-sent event of a streamed answer.
    pub partial_delay: Duration,
    /// Answer as this provider does, strictly (see [`modes`]); `None`: OpenAI's API.
    pub mode: Option<Mode>,
    /// How long a `siliconflow` image link lives (default an hour).
    pub url_ttl: Option<Duration>,
    /// A streamed answer keeps the connection open after its last event.
    pub keep_open: bool,
    /// Make images at the default size and quality whatever the request asked (as some relays'
    /// upstreams do), and echo those.
    pub ignore_options: bool,
}

impl Fault {
    /// Faults that change only how a streaming request is answered.
    fn is_about_streaming(&self) -> bool {
        matches!(self, Fault::StreamCut | Fault::StreamHang | Fault::NoStream | Fault::StreamRefused)
    }
}

/// What the fake saw: one entry per request, in arrival order.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The request as parsed.
    pub request: Request,
    /// When it arrived, in milliseconds since the Unix epoch.
    pub received_at_ms: u64,
    /// Multipart parts, for multipart requests.
    pub parts: Vec<Part>,
}

struct Shared {
    config: Mutex<Config>,
    recorded: Mutex<Vec<Recorded>>,
    counter: AtomicU64,
    origin: String,
    /// Requests seen per options text, for `fault-times`.
    seen: Mutex<std::collections::HashMap<String, u64>>,
}

/// A running fake provider on 127.0.0.1 with its own thread and runtime; stops on drop.
pub struct FakeProvider {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeProvider {
    /// Starts a server on a free loopback port.
    pub fn start(config: Config) -> FakeProvider {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            config: Mutex::new(config),
            recorded: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
            origin: format!("http://{addr}"),
            seen: Mutex::new(std::collections::HashMap::new()),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name(format!("fake-provider-{}", addr.port()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("fake provider runtime");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("tokio listener");
                    tokio::select! {
                        _ = accept_loop(listener, serving) => {}
                        _ = stopped => {}
                    }
                });
                runtime.shutdown_background();
            })
            .expect("spawn fake provider thread");
        FakeProvider { addr, shared, stop: Some(stop), thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        self.shared.origin.clone()
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.origin())
    }

    /// `http://127.0.0.1:PORT/fake/<options>/v1`.
    pub fn base_url_with(&self, options: &str) -> String {
        format!("{}/fake/{options}/v1", self.origin())
    }

    /// Changes the behaviour for the next requests.
    pub fn set_config(&self, config: Config) {
        *self.shared.config.lock().unwrap() = config;
    }

    /// Every request received so far.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.shared.recorded.lock().unwrap().clone()
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves on an existing listener until the future is dropped (for embedding in a host's own
/// runtime, as the dev host does). Per-request behaviour comes from `/fake/<options>/` paths.
pub async fn serve(listener: TcpListener, config: Config) {
    let origin = format!("http://{}", listener.local_addr().expect("local addr"));
    let shared = Arc::new(Shared {
        config: Mutex::new(config),
        recorded: Mutex::new(Vec::new()),
        counter: AtomicU64::new(0),
        origin,
        seen: Mutex::new(std::collections::HashMap::new()),
    });
    accept_loop(listener, shared).await;
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let shared = shared.clone();
        tokio::spawn(async move {
            let _ = handle(stream, shared).await;
        });
    }
}

/// Per-request options from `/fake/<options>/…`, layered over the server config.
fn options(path: &str, config: &Config) -> (String, Config) {
    let mut effective = config.clone();
    let Some(rest) = path.strip_prefix("/fake/") else { return (path.to_string(), effective) };
    let (opts, tail) = rest.split_once('/').unwrap_or((rest, ""));
    for option in opts.split(',') {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        match key {
            "fault" => effective.fault = Fault::parse(value),
            "latency" => effective.latency = Duration::from_millis(value.parse().unwrap_or(0)),
            "image-bytes" => effective.image_bytes = value.parse().ok(),
            "image-size" => {
                effective.image_size = value.split_once('x').and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?))).filter(|&(w, h)| (1..=8192).contains(&w) && (1..=8192).contains(&h))
            }
            "partial-delay" => effective.partial_delay = Duration::from_millis(value.parse().unwrap_or(0)),
            "mode" => effective.mode = Mode::parse(value),
            "url-ttl" => effective.url_ttl = value.parse().ok().map(Duration::from_millis),
            "keep-open" => effective.keep_open = true,
            "ignore-options" => effective.ignore_options = true,
            _ => {}
        }
    }
    (format!("/{tail}"), effective)
}

/// `fault-times=<n>` of `/fake/<options>/…`, with the options text it counts under.
fn fault_times(path: &str) -> Option<(String, u64)> {
    let opts = path.strip_prefix("/fake/")?.split('/').next()?;
    let limit = opts.split(',').find_map(|option| option.strip_prefix("fault-times="))?.parse().ok()?;
    Some((opts.to_string(), limit))
}

async fn handle(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let request = http::read_request(&mut reader).await?;
    if request.method == "GET" && request.path == CALLS_PATH {
        return send_json(&mut write, 200, &calls_body(&shared), "req_fake_calls").await;
    }
    let parts = request
        .header("content-type")
        .filter(|ct| ct.starts_with("multipart/form-data"))
        .and_then(|ct| http::parse_multipart(ct, &request.body))
        .unwrap_or_default();
    let received_at_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    shared.recorded.lock().unwrap().push(Recorded { request: request.clone(), parts: parts.clone(), received_at_ms });
    let id = shared.counter.fetch_add(1, Ordering::Relaxed);
    let request_id = format!("req_fake_{id:06}");
    let config = shared.config.lock().unwrap().clone();
    let (path, mut config) = options(&request.path, &config);
    if let Some((opts, limit)) = fault_times(&request.path) {
        let mut seen = shared.seen.lock().unwrap();
        let count = seen.entry(opts).or_insert(0);
        *count += 1;
        if *count > limit {
            config.fault = None;
        }
    }

    if !config.latency.is_zero() {
        tokio::time::sleep(config.latency).await;
    }

    if let Some(fault) = config.fault.as_ref().filter(|f| !f.is_about_streaming()) {
        if !path.starts_with("/files/") {
            if *fault == Fault::Reset {
                return reset(reader, write);
            }
            return misbehave(fault, &mut write, &request_id).await;
        }
    }

    // File links are public (signed, as real providers' are): a client fetches them without the
    // key. Azure's mode checks its own `api-key` header.
    let is_file = path.starts_with("/files/");
    if let Some(expected) = config.api_key.as_ref().filter(|_| !is_file && config.mode != Some(Mode::Azure)) {
        let presented = request.header("authorization").unwrap_or("");
        if presented != format!("Bearer {expected}") {
            let token = presented.strip_prefix("Bearer ").unwrap_or(presented);
            let body = error_body(
                &format!("Incorrect API key provided: {token}. You can find your API key at https://platform.example/account/api-keys."),
                "invalid_request_error",
                Some("invalid_api_key"),
            );
            return send_json(&mut write, 401, &body, &request_id).await;
        }
    }

    let mut path = path;
    if let Some(mode) = config.mode.filter(|_| !is_file) {
        match modes::admit(mode, &request, &path, &config, &shared.origin) {
            Admitted::Answer(status, body) => return send_json(&mut write, status, &body, &request_id).await,
            Admitted::AsOpenAi(openai_path) => path = openai_path,
            Admitted::Chat { body, stream } => {
                let answer = modes::chat_answer(&body, config.image_bytes);
                if stream {
                    return modes::send_chat_stream(&mut write, &answer, config.partial_delay, &request_id).await;
                }
                return send_json(&mut write, 200, &answer, &request_id).await;
            }
        }
    }
    if is_file && modes::link_expired(request.query.as_deref()) {
        let body = json!({ "code": "AccessDenied", "message": "Request has expired." });
        return send_json(&mut write, 403, &body, &request_id).await;
    }
    let (status, body) = route(&request, &path, &parts, &config, &shared.origin);
    if let Some(partials) = stream::requested(&request, &parts).filter(|_| status == 200 && !path.starts_with("/files/")) {
        let ending = match config.fault {
            Some(Fault::NoStream) => return send_json(&mut write, status, &body, &request_id).await,
            Some(Fault::StreamRefused) => {
                let refusal = error_body("Unknown parameter: 'stream'.", "invalid_request_error", Some("unknown_parameter"));
                return send_json(&mut write, 400, &refusal, &request_id).await;
            }
            Some(Fault::StreamCut) => stream::Ending::Cut,
            Some(Fault::StreamHang) => stream::Ending::Hang,
            _ if config.keep_open => stream::Ending::KeepOpen,
            _ => stream::Ending::Complete,
        };
        return stream::send(&mut write, &path, &body, partials, config.partial_delay, ending, config.image_bytes, &request_id).await;
    }
    if status == 200 && path.starts_with("/files/") {
        if let Value::String(seed) = &body {
            let bytes = request.query.as_deref().and_then(|q| q.split('&').find_map(|p| p.strip_prefix("bytes=")?.parse().ok()));
            let png = image::png_for(seed, bytes.or(config.image_bytes));
            let head = http::response_head(200, &[
                ("Content-Type", "image/png".into()),
                ("Content-Length", png.len().to_string()),
                ("Connection", "close".into()),
            ]);
            write.write_all(&head).await?;
            write.write_all(&png).await?;
            return write.shutdown().await;
        }
    }
    send_json(&mut write, status, &body, &request_id).await
}

/// `GET /calls`: every request received so far (this one excluded), read-only, so a test can see
/// whether and when a call reached the provider, and whether it carried a key. Only the method,
/// the path (which carries the `/fake/<options>/` but never a key or a prompt), the arrival time,
/// the names of the credential headers it carried (`authHeaders`: `authorization`, `api-key`,
/// `x-goog-api-key`, `cookie`) and whether any of them held a value (`keyPresent`); never a value.
/// For a JSON body, also the names of its top-level fields (`fields`) and the values of its size
/// and count options (`options`: [`OPTION_FIELDS`]), never a prompt or an image.
pub const CALLS_PATH: &str = "/calls";

/// The body fields whose values `GET /calls` shows: options that say what was asked, not who asked
/// or for what picture.
pub const OPTION_FIELDS: [&str; 11] = ["model", "n", "size", "quality", "style", "aspect_ratio", "resolution", "image_config", "image_size", "batch_size", "seed"];

/// Header names that carry credentials.
const CREDENTIAL_HEADERS: [&str; 4] = ["authorization", "api-key", "x-goog-api-key", "cookie"];

fn calls_body(shared: &Shared) -> Value {
    let calls: Vec<Value> = shared
        .recorded
        .lock()
        .unwrap()
        .iter()
        .map(|call| {
            let carried: Vec<&str> = CREDENTIAL_HEADERS.into_iter().filter(|name| call.request.header(name).is_some()).collect();
            let key_present = carried.iter().any(|name| {
                let value = call.request.header(name).unwrap_or_default().trim();
                !value.is_empty() && !value.eq_ignore_ascii_case("bearer")
            });
            let mut entry = json!({ "method": call.request.method, "path": call.request.path, "query": call.request.query, "receivedAtMs": call.received_at_ms,
                    "authHeaders": carried, "keyPresent": key_present });
            if let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&call.request.body) {
                entry["fields"] = json!(body.keys().collect::<Vec<_>>());
                entry["options"] = Value::Object(body.into_iter().filter(|(name, _)| OPTION_FIELDS.contains(&name.as_str())).collect());
            }
            entry
        })
        .collect();
    json!({ "calls": calls })
}

fn error_body(message: &str, kind: &str, code: Option<&str>) -> Value {
    json!({ "error": { "message": message, "type": kind, "param": null, "code": code } })
}

async fn send_json(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    status: u16,
    body: &Value,
    request_id: &str,
) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(body).expect("json");
    let head = http::response_head(status, &[
        ("Content-Type", "application/json".into()),
        ("Content-Length", bytes.len().to_string()),
        ("x-request-id", request_id.to_string()),
        ("Connection", "close".into()),
    ]);
    write.write_all(&head).await?;
    write.write_all(&bytes).await?;
    write.shutdown().await
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A prompt containing this is refused with a 400 `content_policy_violation`.
pub const REFUSE_MARKER: &str = "[refuse]";

/// A string field of a JSON body.
fn json_text(body: &Value, name: &str) -> Option<String> {
    body.get(name).and_then(Value::as_str).map(str::to_string)
}

fn refused() -> (u16, Value) {
    (400, error_body("Your request was rejected by the safety system.", "invalid_request_error", Some("content_policy_violation")))
}

fn route(request: &Request, path: &str, parts: &[Part], config: &Config, origin: &str) -> (u16, Value) {
    let invalid = |message: &str, param: &str| {
        (400, json!({ "error": { "message": message, "type": "invalid_request_error", "param": param, "code": null } }))
    };
    let input_images = parts.iter().filter(|p| p.file_name.is_some() && p.name != "mask").count().min(10) as u64;
    let images = |prompt: &str, n: u64, as_url: bool, echo: Map<String, Value>| -> Value {
        let data: Vec<Value> = (0..n)
            .map(|i| {
                let seed = format!("{prompt}#{i}");
                if as_url {
                    let name: String = format!("{:016x}", image::fnv1a(seed.as_bytes()));
                    json!({ "url": format!("{origin}/files/{name}.png?seed={}", urlencode(&seed)), "revised_prompt": format!("revised: {prompt}") })
                } else {
                    json!({ "b64_json": b64(&image::png_sized(&seed, config.image_size, config.image_bytes)), "revised_prompt": format!("revised: {prompt}") })
                }
            })
            .collect();
        let mut answer = json!({ "created": 1_700_000_000u64, "data": data, "usage": {
            "total_tokens": 100 + 50 * n, "input_tokens": 100, "output_tokens": 50 * n,
            "input_tokens_details": { "text_tokens": 100 - 10 * input_images, "image_tokens": 10 * input_images } } });
        answer.as_object_mut().expect("an object").extend(echo);
        answer
    };
    let n_of = |value: Option<&Value>| -> Result<u64, ()> {
        match value {
            None => Ok(1),
            Some(v) => v.as_u64().filter(|n| (1..=10).contains(n)).ok_or(()),
        }
    };

    match (request.method.as_str(), path) {
        ("POST", p) if p.ends_with("/images/generations") => {
            let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
                return invalid("We could not parse the JSON body of your request.", "body");
            };
            let Some(prompt) = body.get("prompt").and_then(Value::as_str).filter(|p| !p.is_empty()) else {
                return invalid("Missing required parameter: 'prompt'.", "prompt");
            };
            if prompt.contains(REFUSE_MARKER) {
                return refused();
            }
            let Ok(n) = n_of(body.get("n")) else { return invalid("Invalid value for 'n'.", "n") };
            let as_url = body.get("response_format").and_then(Value::as_str) == Some("url");
            (200, images(prompt, n, as_url, echo::of(body.get("model").and_then(Value::as_str), |name| json_text(&body, name), config)))
        }
        ("POST", p) if p.ends_with("/images/edits") && request.header("content-type").is_some_and(|ct| ct.starts_with("application/json")) => {
            // OpenAI's JSON form: `images: [{ image_url }]`, optional `mask: { image_url }`; no `response_format`.
            let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
                return invalid("We could not parse the JSON body of your request.", "body");
            };
            let Some(prompt) = body.get("prompt").and_then(Value::as_str).filter(|p| !p.is_empty()) else {
                return invalid("Missing required parameter: 'prompt'.", "prompt");
            };
            let is_ref = |r: &Value| r.get("image_url").and_then(Value::as_str).is_some_and(|u| u.starts_with("data:image/") || u.starts_with("https://"));
            let refs = body.get("images").and_then(Value::as_array).filter(|i| !i.is_empty() && i.len() <= 16);
            if !refs.is_some_and(|i| i.iter().all(is_ref)) {
                return invalid("Invalid value for 'images': expected 1-16 objects with an image_url.", "images");
            }
            if body.get("mask").is_some_and(|m| !is_ref(m)) {
                return invalid("Invalid value for 'mask': expected an object with an image_url.", "mask");
            }
            if body.get("response_format").is_some() {
                return invalid("Unknown parameter: 'response_format'.", "response_format");
            }
            let Ok(n) = n_of(body.get("n")) else { return invalid("Invalid value for 'n'.", "n") };
            (200, images(prompt, n, false, echo::of(body.get("model").and_then(Value::as_str), |name| json_text(&body, name), config)))
        }
        ("POST", p) if p.ends_with("/images/edits") => {
            let field = |name: &str| parts.iter().find(|part| part.name == name && part.file_name.is_none());
            let Some(prompt) = field("prompt").map(|p| String::from_utf8_lossy(&p.data).to_string()) else {
                return invalid("Missing required parameter: 'prompt'.", "prompt");
            };
            let files: Vec<&Part> = parts.iter().filter(|p| p.name == "image" || p.name == "image[]").collect();
            if files.is_empty() {
                return invalid("Missing required parameter: 'image'.", "image");
            }
            if let Some(untyped) = parts.iter().find(|p| p.file_name.is_some() && p.content_type.is_none()) {
                return invalid(&format!("File part '{}' has no Content-Type.", untyped.name), &untyped.name);
            }
            let n = match field("n").map(|p| String::from_utf8_lossy(&p.data).parse::<u64>()) {
                None => 1,
                Some(Ok(n)) if (1..=10).contains(&n) => n,
                Some(_) => return invalid("Invalid value for 'n'.", "n"),
            };
            let as_url = field("response_format").is_some_and(|p| p.data == b"url");
            let text = |name: &str| field(name).map(|p| String::from_utf8_lossy(&p.data).to_string());
            (200, images(&prompt, n, as_url, echo::of(text("model").as_deref(), text, config)))
        }
        ("POST", p) if p.ends_with("/responses") => {
            let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
                return invalid("We could not parse the JSON body of your request.", "body");
            };
            if body.get("model").and_then(Value::as_str).is_none() {
                return invalid("Missing required parameter: 'model'.", "model");
            }
            let prompt = match body.get("input") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => return invalid("Missing required parameter: 'input'.", "input"),
            };
            let has_tool = body
                .get("tools")
                .and_then(Value::as_array)
                .is_some_and(|tools| tools.iter().any(|t| t.get("type").and_then(Value::as_str) == Some("image_generation")));
            if !has_tool {
                return (200, json!({ "id": "resp_fake", "object": "response", "status": "completed", "output": [
                    { "type": "message", "id": "msg_fake", "status": "completed", "role": "assistant",
                      "content": [{ "type": "output_text", "text": "I can only describe images.", "annotations": [] }] }
                ] }));
            }
            let png = image::png_sized(&prompt, config.image_size, config.image_bytes);
            let tool = body["tools"].as_array().and_then(|tools| tools.iter().find(|t| t["type"] == "image_generation")).cloned().unwrap_or_default();
            let mut call = json!({ "type": "image_generation_call", "id": "ig_fake", "status": "completed", "result": b64(&png), "revised_prompt": "revised prompt" });
            call.as_object_mut().expect("an object").extend(echo::of(None, |name| json_text(&tool, name), config));
            (200, json!({ "id": "resp_fake", "object": "response", "created_at": 1_700_000_000u64, "status": "completed",
              "usage": { "input_tokens": 30, "input_tokens_details": { "cached_tokens": 0 }, "output_tokens": 70,
                         "output_tokens_details": { "reasoning_tokens": 0 }, "total_tokens": 100 },
              "output": [
                call,
                { "type": "message", "id": "msg_fake", "status": "completed", "role": "assistant",
                  "content": [{ "type": "output_text", "text": "Here is your image.", "annotations": [] }] }
            ] }))
        }
        ("GET", p) if p.ends_with("/models") => (200, json!({ "object": "list", "data": [
            { "id": "gpt-image-1", "object": "model", "created": 1_700_000_000u64, "owned_by": "fake" },
            { "id": "gpt-image-2", "object": "model", "created": 1_700_000_000u64, "owned_by": "fake" },
            { "id": "gpt-4.1", "object": "model", "created": 1_700_000_000u64, "owned_by": "fake" }
        ] })),
        ("GET", p) if p.starts_with("/files/") => {
            let seed = request
                .query
                .as_deref()
                .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("seed=")))
                .map(urldecode)
                .unwrap_or_else(|| p.to_string());
            (200, Value::String(seed))
        }
        _ => (404, error_body(&format!("Unknown request URL: {} {path}.", request.method), "invalid_request_error", Some("unknown_url"))),
    }
}

pub(crate) fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn urldecode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// Closes with RST instead of FIN: SO_LINGER 0, then drop.
fn reset(
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    write: tokio::net::tcp::OwnedWriteHalf,
) -> std::io::Result<()> {
    let stream = reader.into_inner().reunite(write).map_err(std::io::Error::other)?;
    #[allow(deprecated)] // set_linger blocks on close only for a positive linger; 0 means reset.
    stream.set_linger(Some(Duration::ZERO))?;
    drop(stream);
    Ok(())
}

async fn misbehave(
    fault: &Fault,
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    request_id: &str,
) -> std::io::Result<()> {
    match fault {
        Fault::Status { status, message } => {
            let default = match status {
                400 => "Invalid value for 'size': must be one of 1024x1024, 1536x1024, 1024x1536.",
                401 => "You didn't provide an API key.",
                403 => "You are not allowed to use this model.",
                404 => "The model 'gpt-image-9' does not exist.",
                413 => "Request entity too large.",
                429 => "Rate limit reached for requests.",
                500 => "The server had an error while processing your request.",
                502 => "Bad gateway.",
                503 => "The engine is currently overloaded, please try again later.",
                _ => "Something went wrong.",
            };
            let body = error_body(message.as_deref().unwrap_or(default), "server_error", None);
            send_json(write, *status, &body, request_id).await
        }
        Fault::RateLimited { retry_after_secs } => {
            let bytes = serde_json::to_vec(&error_body(
                "Rate limit reached for images per minute. Please try again in 2s.",
                "requests",
                Some("rate_limit_exceeded"),
            ))
            .expect("json");
            let head = http::response_head(429, &[
                ("Content-Type", "application/json".into()),
                ("Content-Length", bytes.len().to_string()),
                ("Retry-After", retry_after_secs.to_string()),
                ("x-request-id", request_id.to_string()),
                ("Connection", "close".into()),
            ]);
            write.write_all(&head).await?;
            write.write_all(&bytes).await?;
            write.shutdown().await
        }
        Fault::Relay(status) => {
            let (page, server) = match status {
                524 => ("<!DOCTYPE html><html><head><title>api.example.com | 524: A timeout occurred</title></head><body><h1>A timeout occurred</h1><p>The origin web server timed out responding to this request.</p><p>Cloudflare Ray ID: 8f00fake0524</p></body></html>", "cloudflare"),
                504 => ("<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>", "nginx"),
                _ => ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", "nginx"),
            };
            let mut headers = vec![
                ("Content-Type", "text/html; charset=UTF-8".to_string()),
                ("Content-Length", page.len().to_string()),
                ("Server", server.to_string()),
                ("Connection", "close".into()),
            ];
            if *status == 524 {
                headers.push(("cf-ray", "8f00fake0524-LHR".into()));
            }
            write.write_all(&http::response_head(*status, &headers)).await?;
            write.write_all(page.as_bytes()).await?;
            write.shutdown().await
        }
        Fault::HtmlPage(status) => {
            let page = format!(
                "<!DOCTYPE html><html><head><title>{status} Bad Gateway</title></head><body><center><h1>{status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
            );
            let head = http::response_head(*status, &[
                ("Content-Type", "text/html; charset=utf-8".into()),
                ("Content-Length", page.len().to_string()),
                ("cf-ray", "8f00fake0000-LHR".into()),
                ("Connection", "close".into()),
            ]);
            write.write_all(&head).await?;
            write.write_all(page.as_bytes()).await?;
            write.shutdown().await
        }
        Fault::TruncatedJson => {
            let body = br#"{"created":1700000000,"data":[{"b64_json":"iVBORw0KGgoAAAANSUhEUgAAAAgAAAAI"#;
            let head = http::response_head(200, &[
                ("Content-Type", "application/json".into()),
                ("Content-Length", body.len().to_string()),
                ("x-request-id", request_id.to_string()),
                ("Connection", "close".into()),
            ]);
            write.write_all(&head).await?;
            write.write_all(body).await?;
            write.shutdown().await
        }
        Fault::HugeBody { bytes, chunked } => {
            let mut headers = vec![("Content-Type", "application/json".to_string()), ("Connection", "close".to_string())];
            if *chunked {
                headers.push(("Transfer-Encoding", "chunked".into()));
            } else {
                headers.push(("Content-Length", bytes.to_string()));
            }
            write.write_all(&http::response_head(200, &headers)).await?;
            let chunk = vec![b'A'; 64 * 1024];
            let mut sent = 0u64;
            while sent < *bytes {
                let len = chunk.len().min((*bytes - sent) as usize);
                if *chunked {
                    write.write_all(format!("{len:x}\r\n").as_bytes()).await?;
                    write.write_all(&chunk[..len]).await?;
                    write.write_all(b"\r\n").await?;
                } else {
                    write.write_all(&chunk[..len]).await?;
                }
                sent += len as u64;
            }
            if *chunked {
                write.write_all(b"0\r\n\r\n").await?;
            }
            write.shutdown().await
        }
        Fault::SlowDrip(interval) => {
            let head = http::response_head(200, &[
                ("Content-Type", "application/json".into()),
                ("Content-Length", "100000".into()),
                ("x-request-id", request_id.to_string()),
                ("Connection", "close".into()),
            ]);
            write.write_all(&head).await?;
            let body = br#"{"created":1700000000,"data":[{"b64_json":""#;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            for byte in body.iter().chain(std::iter::repeat(&b'A')) {
                if tokio::time::Instant::now() > deadline {
                    break;
                }
                write.write_all(&[*byte]).await?;
                write.flush().await?;
                tokio::time::sleep(*interval).await;
            }
            Ok(())
        }
        Fault::Reset => unreachable!("handled by reset()"),
        Fault::StreamCut | Fault::StreamHang | Fault::NoStream | Fault::StreamRefused => unreachable!("handled with the route"),
        Fault::EmptyData => send_json(write, 200, &json!({ "created": 1_700_000_000u64, "data": [] }), request_id).await,
        Fault::InsecureUrl => {
            let body = json!({ "created": 1_700_000_000u64, "data": [{ "url": "http://images.example.com/out.png" }] });
            send_json(write, 200, &body, request_id).await
        }
        Fault::Redirect(location) => {
            let head = http::response_head(307, &[
                ("Location", location.clone()),
                ("Content-Length", "0".into()),
                ("Connection", "close".into()),
            ]);
            write.write_all(&head).await?;
            write.shutdown().await
        }
    }
}


#[cfg(test)]
mod option_tests {
    use super::{options, Config, Fault};

    #[test]
    fn relay_faults_and_keep_open_are_options_of_the_path() {
        for (spec, status) in [("relay-502", 502), ("relay-504", 504), ("relay-524", 524)] {
            assert_eq!(Fault::parse(spec), Some(Fault::Relay(status)));
        }
        let (path, config) = options("/fake/fault=relay-524,latency=900,keep-open/v1/images/generations", &Config::default());
        assert_eq!(path, "/v1/images/generations");
        assert_eq!((config.fault, config.latency.as_millis(), config.keep_open), (Some(Fault::Relay(524)), 900, true));
        assert!(!options("/v1/images/generations", &Config::default()).1.keep_open);
    }
}

#[cfg(test)]
mod fault_times_tests {
    use super::fault_times;

    #[test]
    fn counts_under_the_whole_options_text_and_only_when_asked() {
        assert_eq!(fault_times("/fake/fault=rate-limit:1,fault-times=1,tag=a/v1/images/generations"), Some(("fault=rate-limit:1,fault-times=1,tag=a".into(), 1)));
        assert_eq!(fault_times("/fake/fault=rate-limit:1/v1/images/generations"), None);
        assert_eq!(fault_times("/v1/images/generations"), None);
    }
}

#[cfg(test)]
mod refuse_marker_tests {
    use super::{route, Config, Request, REFUSE_MARKER};

    fn generation(prompt: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/v1/images/generations".into(),
            query: None,
            headers: Default::default(),
            body: serde_json::to_vec(&serde_json::json!({ "prompt": prompt, "n": 1 })).unwrap(),
        }
    }

    #[test]
    fn refuses_only_a_prompt_carrying_the_marker() {
        let config = Config::default();
        let (status, body) = route(&generation(&format!("a fox {REFUSE_MARKER}")), "/v1/images/generations", &[], &config, "http://127.0.0.1:1");
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "content_policy_violation");
        let (status, body) = route(&generation("a fox"), "/v1/images/generations", &[], &config, "http://127.0.0.1:1");
        assert_eq!(status, 200);
        assert_eq!(body["data"].as_array().map(Vec::len), Some(1));
    }
}

#[cfg(test)]
mod options_tests {
    use super::{options, Config};

    #[test]
    fn image_size_takes_width_x_height_and_ignores_anything_else() {
        let (tail, config) = options("/fake/image-size=1536x1024,image-bytes=3000000/v1/images/generations", &Config::default());
        assert_eq!(tail, "/v1/images/generations");
        assert_eq!((config.image_size, config.image_bytes), (Some((1536, 1024)), Some(3_000_000)));
        for bad in ["1536", "0x10", "axb", "9000x10"] {
            assert_eq!(options(&format!("/fake/image-size={bad}/v1"), &Config::default()).1.image_size, None, "{bad}");
        }
    }
}

#[cfg(test)]
mod calls_tests {
    use std::io::{Read, Write};

    use serde_json::{json, Value};

    use super::{Config, FakeProvider};

    fn send(provider: &FakeProvider, request: &str) -> String {
        let mut stream = std::net::TcpStream::connect(provider.addr()).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    }

    #[test]
    fn calls_show_a_bodys_field_names_and_size_options_never_its_prompts() {
        let provider = FakeProvider::start(Config::default());
        let body = r#"{"model":"grok-imagine-image","prompt":"a secret fox","negative_prompt":"hidden blur","aspect_ratio":"16:9","resolution":"2k","n":2}"#;
        send(&provider, &format!("POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()));
        let answer = send(&provider, "GET /calls HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let calls: Value = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
        let call = &calls["calls"][0];
        let mut fields: Vec<&str> = call["fields"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["aspect_ratio", "model", "n", "negative_prompt", "prompt", "resolution"]);
        assert_eq!(call["options"], json!({ "model": "grok-imagine-image", "aspect_ratio": "16:9", "resolution": "2k", "n": 2 }));
        assert!(!answer.contains("secret") && !answer.contains("hidden"), "{answer}");
    }
}
