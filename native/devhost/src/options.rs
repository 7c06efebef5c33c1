//! Command-line flags and their environment fallbacks.

use std::path::PathBuf;

use crate::managed_stand_in::Session;

/// The default server-side token for the managed upstream (dev only; never sent to the page).
pub const DEFAULT_UPSTREAM_TOKEN: &str = "hf-devhost-upstream-token";

/// Usage text.
pub const USAGE: &str = "\
usage: devhost [flags]

  --port N               HTTP port on 127.0.0.1 (default 0 = a free port; printed as `listening on http://127.0.0.1:N`)
  --home DIR             home directory for .haloforge/ (logs, settings, data); default $HOME
  --plugin PATH          plugin library; default libmanaged_image_gateway.so next to this executable
  --dist DIR             built plugin bundle (index.js, styles.css); default <repo>/dist
  --page DIR             built dev page; default <repo>/native/devhost/page/dist
  --upstream URL         managed-gateway upstream API base (e.g. https://api.example.com/v1); env HFMIG_UPSTREAM;
                         default the embedded fake provider
  --upstream-token TOKEN bearer token for the upstream; env HFMIG_UPSTREAM_TOKEN; default a dev token
  --session S            initial simulated session: signedOut | cloud | enterprise (default cloud)
  --fake-port N          port of the embedded fake provider (default 0 = free)
  --key-store S          where the plugin keeps the API key: file (default: <home>/.haloforge/plugins/<id>/data/,
                         never this machine's keychain) | system (the OS credential store, file as fallback)
  -h, --help             this text

Env: RUST_LOG=trace|debug|info|warn|error (default info) sets the most verbose level written to the log.";

/// What the process runs as.
pub enum Mode {
    /// Print usage.
    Help,
    /// The dev host's server.
    Serve(Options),
    /// Internal: the plugin worker process.
    Worker {
        /// Plugin library.
        library: PathBuf,
        /// Home directory.
        home: PathBuf,
    },
}

/// Server options.
#[derive(Debug, Clone)]
pub struct Options {
    pub port: u16,
    pub home: PathBuf,
    pub plugin: PathBuf,
    pub dist: PathBuf,
    pub page: PathBuf,
    pub upstream: Option<String>,
    pub upstream_token: String,
    pub session: Session,
    pub fake_port: u16,
    /// `file` or `system`: passed to the plugin as `HFMIG_KEY_STORE`.
    pub key_store: String,
}

fn repo_root() -> PathBuf {
    // native/devhost → repository root.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

fn library_file_name() -> String {
    format!("{}managed_image_gateway{}", std::env::consts::DLL_PREFIX, std::env::consts::DLL_SUFFIX)
}

fn default_plugin() -> PathBuf {
    // Cargo puts the plugin's cdylib next to this binary (same target dir and profile).
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(library_file_name())))
        .unwrap_or_else(|| PathBuf::from(library_file_name()))
}

/// Parses arguments (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Mode, String> {
    let mut args = args.into_iter();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut options = Options {
        port: 0,
        home: env("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".")),
        plugin: default_plugin(),
        dist: repo_root().join("dist"),
        page: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("page").join("dist"),
        upstream: env("HFMIG_UPSTREAM"),
        upstream_token: env("HFMIG_UPSTREAM_TOKEN").unwrap_or_else(|| DEFAULT_UPSTREAM_TOKEN.into()),
        session: Session::Cloud,
        fake_port: 0,
        key_store: "file".into(),
    };
    let mut worker_library = None;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(Mode::Help),
            "--port" => options.port = value()?.parse().map_err(|_| "--port takes a port number".to_string())?,
            "--fake-port" => options.fake_port = value()?.parse().map_err(|_| "--fake-port takes a port number".to_string())?,
            "--home" => options.home = PathBuf::from(value()?),
            "--plugin" => options.plugin = PathBuf::from(value()?),
            "--dist" => options.dist = PathBuf::from(value()?),
            "--page" => options.page = PathBuf::from(value()?),
            "--upstream" => options.upstream = Some(value()?),
            "--upstream-token" => options.upstream_token = value()?,
            "--session" => {
                let text = value()?;
                options.session = Session::parse(&text).ok_or_else(|| format!("--session takes signedOut, cloud or enterprise, not {text}"))?;
            }
            "--key-store" => {
                let text = value()?;
                if text != "file" && text != "system" {
                    return Err(format!("--key-store takes file or system, not {text}"));
                }
                options.key_store = text;
            }
            "--plugin-worker" => worker_library = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if let Some(url) = &options.upstream {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!("--upstream must be an http(s) URL, not {url}"));
        }
    }
    Ok(match worker_library {
        Some(library) => Mode::Worker { library, home: options.home },
        None => Mode::Serve(options),
    })
}
