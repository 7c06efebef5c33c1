//! Starts the real `devhost` binary on a free port with a temporary home, and talks to it over
//! HTTP exactly as the dev page does.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};

pub const PLUGIN_ID: &str = "dev.haloforge.managed-image-gateway";

/// The target directory the tests' devhost binary lives in (`target/debug` or `target/release`).
fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_devhost")).parent().expect("binary dir").to_path_buf()
}

/// `cargo test` builds the plugin's cdylib (it has integration tests) but not the fixtures'
/// (cdylib-only crates without tests), so they are built here with the same profile as the
/// devhost under test, once per test binary. The plugin is built only when missing (e.g. with
/// `cargo test -p devhost`): rebuilding it with this narrower package selection would change its
/// dependencies' features and make every later cargo invocation rebuild it again.
fn ensure_libraries() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .args(["build", "--quiet", "-p", "devhost-fixture-bad-abi", "-p", "devhost-fixture-panicking-plugin"]);
        if !target_dir().join(library_file("managed_image_gateway")).exists() {
            command.args(["-p", "managed-image-gateway"]);
        }
        if target_dir().ends_with("release") {
            command.arg("--release");
        }
        let status = command.status().expect("run cargo build for the plugin libraries");
        assert!(status.success(), "building the plugin libraries failed");
    });
}

fn library_file(stem: &str) -> String {
    format!("{}{stem}{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}

pub fn library(stem: &str) -> PathBuf {
    ensure_libraries();
    target_dir().join(library_file(stem))
}

pub fn plugin_library() -> PathBuf {
    library("managed_image_gateway")
}

/// What the devhost printed before `listening on …`.
pub struct Devhost {
    pub child: Child,
    pub origin: String,
    pub fake_base_url: String,
    pub home: PathBuf,
    client: reqwest::blocking::Client,
}

/// A finished devhost run that refused to start.
pub struct Refusal {
    pub code: Option<i32>,
    pub stderr: String,
}

fn devhost_command(home: &Path, plugin: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_devhost"));
    command
        .args(["--port", "0", "--home"])
        .arg(home)
        .arg("--plugin")
        .arg(plugin)
        .args(extra)
        .env_remove("HFMIG_UPSTREAM")
        .env_remove("HFMIG_UPSTREAM_TOKEN")
        .env("RUST_LOG", "info");
    command
}

impl Devhost {
    pub fn start(home: &Path, plugin: &Path, extra: &[&str]) -> Devhost {
        let mut child = devhost_command(home, plugin, extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start devhost");
        let stdout = child.stdout.take().expect("stdout");
        let (lines_tx, lines_rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut fake_base_url = String::new();
        let origin = loop {
            let line = lines_rx.recv_timeout(Duration::from_secs(60)).expect("devhost printed `listening on` within 60 s");
            if let Some(url) = line.strip_prefix("devhost: suggested custom endpoint base URL ") {
                fake_base_url = url.trim().to_string();
            }
            if let Some(origin) = line.strip_prefix("listening on ") {
                break origin.trim().to_string();
            }
        };
        assert!(origin.starts_with("http://127.0.0.1:"), "machine-readable origin: {origin}");
        assert!(!fake_base_url.is_empty(), "the fake provider's base URL is printed");
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        Devhost { child, origin, fake_base_url, home: home.to_path_buf(), client }
    }

    /// Runs a devhost that is expected to refuse to start.
    pub fn refuse(home: &Path, plugin: &Path) -> Refusal {
        let mut child = devhost_command(home, plugin, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start devhost");
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        let status = child.wait().unwrap();
        Refusal { code: status.code(), stderr }
    }

    /// `POST /invoke/<command>` with a raw body: (status, body text).
    pub fn post_raw(&self, path: &str, body: &str) -> (u16, String) {
        let response = self
            .client
            .post(format!("{}{path}", self.origin))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .expect("devhost answers");
        (response.status().as_u16(), response.text().unwrap())
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let response = self.client.get(format!("{}{path}", self.origin)).send().expect("devhost answers");
        (response.status().as_u16(), response.text().unwrap())
    }

    /// Tauri `invoke(command, args)`: Ok(JSON) on 2xx, Err(message) otherwise.
    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, (u16, String)> {
        let (status, body) = self.post_raw(&format!("/invoke/{command}"), &args.to_string());
        if (200..300).contains(&status) {
            Ok(serde_json::from_str(&body).expect("JSON answer"))
        } else {
            Err((status, body))
        }
    }

    /// `invokePlugin(command, args)` as the SDK sends it.
    pub fn invoke_plugin(&self, plugin_id: &str, command: &str, args: Value) -> Result<Value, (u16, String)> {
        let wire_name = format!("plugin_{}_{command}", plugin_id.replace(['.', '-'], "_"));
        self.invoke("plugin_invoke", json!({ "args": { "wire_name": wire_name, "args": args } }))
    }

    /// Every line of every log file.
    pub fn log_lines(&self) -> Vec<String> {
        let dir = self.home.join(".haloforge").join("logs");
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("log dir exists") {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert!(name.starts_with("haloforge.log."), "only daily log files in {}: {name}", dir.display());
            lines.extend(std::fs::read_to_string(&path).unwrap().lines().map(str::to_string));
        }
        lines
    }
}

impl Drop for Devhost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
