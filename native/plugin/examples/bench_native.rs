//! Benchmark of the native custom-endpoint path. Not a test: run it on purpose.
//!
//! ```sh
//! cargo run --release --manifest-path native/Cargo.toml -p managed-image-gateway --example bench_native
//! ```
//!
//! Prints one JSON document on stdout:
//! - `latency`: p50/p95 of `generate_images` through the plugin versus a direct reqwest call
//!   (send, read, parse JSON) to the same fake provider, for ~1 KB and ~8 MB answers, in wall time
//!   and in this process's CPU time;
//! - `dialects`: the same for each dialect against the fake provider's strict mode for it
//!   (~1 KB answers; `siliconflow` answers a link, so both paths also fetch it). One dialect:
//!   `bench_native dialect <name> [answer-bytes] [iterations]`;
//! - `peak_rss`: the rise of peak RSS while the plugin handles one answer with 4 × 2 MB base64
//!   images, against the goal of at most 3× the payload;
//! - `peak_rss_stream`: the same answer streamed (`stream: true`, one 2 MB partial per image)
//!   while another thread polls `request_progress` every 20 ms as the panel does, and its rise
//!   over the plain path's (goal: at most 1.25).
//!
//! The fake provider runs in a child process (this binary, `serve` mode) so its memory is not
//! counted, and the RSS probe runs in another child so earlier runs do not raise the peak.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    match mode.as_str() {
        "serve" => serve(),
        "rss" => rss_probe(&std::env::args().nth(2).expect("rss needs the base URL"), false),
        "rss-stream" => rss_probe(&std::env::args().nth(2).expect("rss needs the base URL"), true),
        "dialect" => {
            let args: Vec<String> = std::env::args().skip(2).collect();
            let dialect = Dialect::named(args.first().map(String::as_str).unwrap_or("images"));
            let bytes = args.get(1).and_then(|b| b.parse().ok()).unwrap_or(1024);
            let iterations = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(200);
            let provider = spawn_provider();
            println!("{}", serde_json::to_string_pretty(&latency(&provider.1, dialect, &format!("{bytes} B"), bytes, iterations)).unwrap());
        }
        "loop" => native_loop(std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(50)),
        _ => run_all(),
    }
}

// ---- fake provider child ---------------------------------------------------------------

fn serve() {
    let provider = fake_provider::FakeProvider::start(fake_provider::Config::default());
    println!("{}", provider.origin());
    std::io::stdout().flush().unwrap();
    // Serve until the parent closes our stdin.
    let _ = std::io::stdin().lines().count();
}

struct Child(std::process::Child, String);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The fake provider runs from `BENCH_NATIVE_PROVIDER` (another build of this example) when set,
/// so every profile compared talks to the same provider build: its own time to make and send an
/// 8 MB answer is not the plugin's.
fn spawn_provider() -> Child {
    let exe = std::env::var_os("BENCH_NATIVE_PROVIDER").map(std::path::PathBuf::from).unwrap_or_else(|| std::env::current_exe().unwrap());
    let mut child = Command::new(exe)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn the fake provider");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    Child(child, line.trim().to_string())
}

// ---- the host ------------------------------------------------------------------------------

// The integration tests' host doubles: a context keeping settings and log lines in memory and a
// registrar keeping the handlers; the key in a temporary file, never this machine's keychain.
#[path = "../tests/support/mod.rs"]
mod support;

struct Loaded(support::Host);

impl Loaded {
    /// A plugin with the bench key saved for the origin of `provider`.
    fn new(provider: &str) -> Self {
        let host = support::Host::load();
        host.invoke("set_api_key", json!({ "profileId": "bench", "baseUrl": provider, "apiKey": BENCH_KEY })).unwrap();
        Self(host)
    }

    fn generate(&self, id: &str, base: &str, n: u32) -> Value {
        self.generate_with(id, base, n, false)
    }

    fn generate_with(&self, id: &str, base: &str, n: u32, stream: bool) -> Value {
        self.generate_as(Dialect::Images, id, base, n, stream)
    }

    fn generate_as(&self, dialect: Dialect, id: &str, base: &str, n: u32, stream: bool) -> Value {
        let mut args = json!({ "requestId": id, "endpoint": dialect.endpoint(base), "request": dialect.request(n) });
        if stream {
            args["stream"] = json!(true);
            args["partialImages"] = json!(1);
        }
        let answer = self.0.invoke("generate_images", args).expect("call");
        assert_eq!(answer["ok"], true, "{answer}");
        answer
    }

    fn progress(&self, after: u64) -> Value {
        self.0.invoke("request_progress", json!({ "requestId": "rss", "after": after })).unwrap()
    }
}

// ---- dialects -----------------------------------------------------------------------------

/// A dialect, the fake provider's strict mode for it, and the direct HTTP call it stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Images,
    Azure,
    Gemini,
    Chat,
    SiliconFlow,
}

const ALL_DIALECTS: [Dialect; 5] = [Dialect::Images, Dialect::Azure, Dialect::Gemini, Dialect::Chat, Dialect::SiliconFlow];
const BENCH_KEY: &str = "sk-bench-key-000000";

impl Dialect {
    fn named(name: &str) -> Dialect {
        match name {
            "azure" => Dialect::Azure,
            "gemini" => Dialect::Gemini,
            "chat" => Dialect::Chat,
            "siliconflow" => Dialect::SiliconFlow,
            _ => Dialect::Images,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Dialect::Images => "images",
            Dialect::Azure => "azure",
            Dialect::Gemini => "gemini (images dialect)",
            Dialect::Chat => "chat",
            Dialect::SiliconFlow => "siliconflow",
        }
    }

    /// The base URL on the fake provider, answers padded to `image_bytes`.
    fn base(self, provider: &str, image_bytes: usize) -> String {
        match self {
            Dialect::Images => format!("{provider}/fake/image-bytes={image_bytes}/v1"),
            Dialect::Azure => format!("{provider}/fake/mode=azure,image-bytes={image_bytes}"),
            Dialect::Gemini => format!("{provider}/fake/mode=gemini,image-bytes={image_bytes}/v1beta/openai"),
            Dialect::Chat => format!("{provider}/fake/mode=chat,image-bytes={image_bytes}/api/v1"),
            Dialect::SiliconFlow => format!("{provider}/fake/mode=siliconflow,image-bytes={image_bytes}/v1"),
        }
    }

    fn endpoint(self, base: &str) -> Value {
        match self {
            Dialect::Images | Dialect::Gemini => json!({ "profileId": "bench", "baseUrl": base, "dialect": "images", "auth": "bearer" }),
            Dialect::Azure => json!({ "profileId": "bench", "baseUrl": base, "dialect": "azure", "auth": "api-key", "deployment": "bench", "apiVersion": "2025-04-01-preview" }),
            Dialect::Chat => json!({ "profileId": "bench", "baseUrl": base, "dialect": "chat", "auth": "bearer" }),
            Dialect::SiliconFlow => json!({ "profileId": "bench", "baseUrl": base, "dialect": "siliconflow", "auth": "bearer" }),
        }
    }

    fn request(self, n: u32) -> Value {
        match self {
            Dialect::SiliconFlow => json!({ "model": "Kwai-Kolors/Kolors", "prompt": "bench", "n": n, "size": "1024x1024" }),
            Dialect::Chat => json!({ "model": "google/gemini-2.5-flash-image", "prompt": "bench" }),
            _ => json!({ "model": "gpt-image-1", "prompt": "bench", "n": n }),
        }
    }

    /// The same call made directly (send, read, parse JSON, and for a link fetch it); the bytes read.
    async fn direct(self, client: &reqwest::Client, base: &str) -> usize {
        let post = |url: String, body: Value| {
            let request = client.post(url).header("content-type", "application/json").body(serde_json::to_vec(&body).unwrap());
            if self == Dialect::Azure { request.header("api-key", BENCH_KEY) } else { request.bearer_auth(BENCH_KEY) }
        };
        let (url, body) = match self {
            Dialect::Images | Dialect::Gemini => (format!("{base}/images/generations"), json!({ "model": "gpt-image-1", "prompt": "bench", "n": 1 })),
            Dialect::Azure => (format!("{base}/openai/deployments/bench/images/generations?api-version=2025-04-01-preview"), json!({ "model": "gpt-image-1", "prompt": "bench", "n": 1 })),
            Dialect::Chat => (format!("{base}/chat/completions"), json!({ "model": "google/gemini-2.5-flash-image", "messages": [{ "role": "user", "content": "bench" }], "modalities": ["image", "text"] })),
            Dialect::SiliconFlow => (format!("{base}/images/generations"), json!({ "model": "Kwai-Kolors/Kolors", "prompt": "bench", "batch_size": 1, "image_size": "1024x1024" })),
        };
        let bytes = post(url, body).send().await.unwrap().bytes().await.unwrap();
        let parsed: Value = serde_json::from_slice(&bytes).unwrap();
        match self {
            Dialect::Chat => {
                assert!(parsed["choices"][0]["message"]["images"][0]["image_url"]["url"].as_str().unwrap().starts_with("data:image/png"));
                bytes.len()
            }
            Dialect::SiliconFlow => {
                let link = parsed["images"][0]["url"].as_str().unwrap();
                let image = client.get(link).send().await.unwrap().bytes().await.unwrap();
                assert!(image.starts_with(b"\x89PNG"));
                bytes.len() + image.len()
            }
            _ => {
                assert!(parsed["data"][0]["b64_json"].is_string());
                bytes.len()
            }
        }
    }
}

// ---- measurements -------------------------------------------------------------------------

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let rank = ((p / 100.0) * (samples.len() as f64 - 1.0)).round() as usize;
    samples[rank]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn round(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// `image-bytes` for a PNG whose base64 answer is about `answer_bytes`.
fn image_bytes_for(answer_bytes: usize) -> usize {
    (answer_bytes.saturating_sub(250)) * 3 / 4
}

/// CPU time of this process so far (every live thread, the plugin's runtime thread included), from
/// the scheduler's per-thread counters: unlike wall time it does not grow while another process
/// holds the CPU, and the fake provider's child process is not counted.
fn cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return f64::NAN };
    let ns: u64 = tasks
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

fn latency(provider: &str, dialect: Dialect, label: &str, answer_bytes: usize, iterations: usize) -> Value {
    let base = dialect.base(provider, image_bytes_for(answer_bytes));
    let plugin = Loaded::new(provider);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = reqwest::Client::new();
    let direct = |_: usize| runtime.block_on(dialect.direct(&client, &base));
    let mut size = 0;
    let warmup = (iterations / 10).max(2);
    for i in 0..warmup {
        size = direct(i);
        plugin.generate_as(dialect, &format!("warm-{i}"), &base, 1, false);
    }
    let (mut direct_ms, mut native_ms) = (Vec::new(), Vec::new());
    let (mut direct_cpu, mut native_cpu) = (Vec::new(), Vec::new());
    for i in 0..iterations {
        // Interleaved so drift hits both paths alike.
        let (t, cpu) = (Instant::now(), cpu_ms());
        direct(i);
        direct_ms.push(ms(t.elapsed()));
        direct_cpu.push(cpu_ms() - cpu);
        let (t, cpu) = (Instant::now(), cpu_ms());
        plugin.generate_as(dialect, &format!("run-{i}"), &base, 1, false);
        native_ms.push(ms(t.elapsed()));
        native_cpu.push(cpu_ms() - cpu);
    }
    let (d50, d95) = (percentile(&mut direct_ms, 50.0), percentile(&mut direct_ms, 95.0));
    let (n50, n95) = (percentile(&mut native_ms, 50.0), percentile(&mut native_ms, 95.0));
    json!({
        "dialect": dialect.name(), "answer": label, "answer_bytes": size, "iterations": iterations,
        "direct_p50_ms": round(d50), "direct_p95_ms": round(d95),
        "native_p50_ms": round(n50), "native_p95_ms": round(n95),
        "overhead_p50_ms": round(n50 - d50), "overhead_p95_ms": round(n95 - d95),
        "direct_cpu_p50_ms": round(percentile(&mut direct_cpu, 50.0)),
        "native_cpu_p50_ms": round(percentile(&mut native_cpu, 50.0)),
    })
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// In its own process: load, warm up, reset the peak, handle 4 × 2 MB, read the peak.
fn rss_probe(provider: &str, streamed: bool) {
    const IMAGE_B64: usize = 2 * 1024 * 1024;
    let base = format!("{provider}/fake/image-bytes={}/v1", IMAGE_B64 * 3 / 4);
    let warm_base = format!("{provider}/fake/image-bytes=1000/v1");
    let plugin = Loaded::new(provider);
    plugin.generate("warm", &warm_base, 4);
    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let baseline = status_kib("VmRSS:") * 1024;
    let done = std::sync::atomic::AtomicBool::new(false);
    let answer = std::thread::scope(|scope| {
        if streamed {
            // The panel's poll: fetch each partial as it arrives, then drop it.
            scope.spawn(|| {
                let mut after = 0;
                while !done.load(std::sync::atomic::Ordering::SeqCst) {
                    let progress = plugin.progress(after);
                    after = progress["lastSeq"].as_u64().unwrap_or(after);
                    drop(progress);
                    std::thread::sleep(Duration::from_millis(20));
                }
            });
        }
        let answer = plugin.generate_with("rss", &base, 4, streamed);
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        answer
    });
    let payload: usize = answer["result"]["data"].as_array().unwrap().iter().map(|d| d["b64_json"].as_str().unwrap().len()).sum();
    drop(answer);
    let peak = status_kib("VmHWM:") * 1024;
    let rise = peak.saturating_sub(baseline);
    let ratio = rise as f64 / payload as f64;
    println!(
        "{}",
        json!({
            "payload_bytes": payload, "baseline_rss_bytes": baseline, "peak_rss_bytes": peak,
            "peak_rise_bytes": rise, "rise_over_payload": round(ratio), "goal": "<= 3.0",
            "meets_goal": reset && ratio <= 3.0, "peak_reset_supported": reset,
        })
    );
}

/// For a profiler (`perf record`): only the plugin's path, `n` times on an 8 MB answer.
fn native_loop(n: usize) {
    let provider = spawn_provider();
    let dialect = Dialect::named("images");
    let base = dialect.base(&provider.1, image_bytes_for(8 * 1024 * 1024));
    let plugin = Loaded::new(&provider.1);
    let t = Instant::now();
    let cpu = cpu_ms();
    for i in 0..n {
        plugin.generate_as(dialect, &format!("loop-{i}"), &base, 1, false);
    }
    eprintln!("{n} calls, {:.3} ms each, {:.3} ms CPU each", ms(t.elapsed()) / n as f64, (cpu_ms() - cpu) / n as f64);
}

fn run_all() {
    let provider = spawn_provider();
    let origin = provider.1.clone();
    let small = latency(&origin, Dialect::Images, "1 KB", 1024, 300);
    let large = latency(&origin, Dialect::Images, "8 MB", 8 * 1024 * 1024, 30);
    let dialects: Vec<Value> = ALL_DIALECTS.iter().map(|d| latency(&origin, *d, "1 KB", 1024, 200)).collect();
    let probe = |mode: &str| -> Value {
        let probe = Command::new(std::env::current_exe().unwrap()).arg(mode).arg(&origin).output().expect("rss probe");
        serde_json::from_slice(&probe.stdout).unwrap_or_else(|_| json!({ "error": String::from_utf8_lossy(&probe.stderr) }))
    };
    let rss = probe("rss");
    let mut rss_stream = probe("rss-stream");
    if let (Some(plain), Some(stream)) = (rss["peak_rise_bytes"].as_f64(), rss_stream["peak_rise_bytes"].as_f64()) {
        let ratio = stream / plain;
        rss_stream["rise_over_plain"] = json!(round(ratio));
        rss_stream["goal_over_plain"] = json!("<= 1.25");
        rss_stream["meets_goal_over_plain"] = json!(ratio <= 1.25);
    }
    let report = json!({
        "benchmark": "native custom-endpoint path vs direct HTTP (fake provider on 127.0.0.1)",
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "latency": [small, large],
        "dialects": dialects,
        "peak_rss": rss,
        "peak_rss_stream": rss_stream,
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}
