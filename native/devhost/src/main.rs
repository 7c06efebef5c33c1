//! `devhost`: a HaloForge-shaped development host for the Managed Image Gateway plugin.
//! Flags, endpoints and the log layout are documented in `native/devhost/README.md`.

mod context;
mod events;
mod loader;
mod logfile;
mod managed_stand_in;
mod options;
mod protocol;
mod server;
mod supervisor;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tracing::Level;

use crate::managed_stand_in::{ManagedGateway, Upstream};
use crate::options::{Mode, Options};
use crate::server::App;
use crate::supervisor::{Supervisor, WorkerSpec};

fn main() {
    let mode = match options::parse(std::env::args().skip(1)) {
        Ok(mode) => mode,
        Err(message) => {
            eprintln!("devhost: {message}\n\n{}", options::USAGE);
            std::process::exit(2);
        }
    };
    let code = match mode {
        Mode::Help => {
            println!("{}", options::USAGE);
            0
        }
        Mode::Worker { library, home } => {
            if let Err(e) = logfile::init(&home, logfile::level_from_env(std::env::var("RUST_LOG").ok().as_deref())) {
                eprintln!("devhost worker: cannot open the log directory: {e}");
                std::process::exit(1);
            }
            worker::run(&library, &home)
        }
        Mode::Serve(options) => {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
            runtime.block_on(serve(options))
        }
    };
    std::process::exit(code);
}

async fn serve(options: Options) -> i32 {
    // Refuse a wrong library before anything else runs: no worker, no server.
    if let Err(error) = loader::check(&options.plugin) {
        eprintln!("devhost: {error}");
        return 3;
    }
    let log_level = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into());
    if let Err(e) = logfile::init(&options.home, logfile::level_from_env(Some(&log_level))) {
        eprintln!("devhost: cannot open the log directory under {}: {e}", options.home.display());
        return 1;
    }

    let fake_listener = match TcpListener::bind(("127.0.0.1", options.fake_port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("devhost: cannot bind the fake provider on 127.0.0.1:{}: {e}", options.fake_port);
            return 1;
        }
    };
    let fake_origin = format!("http://{}", fake_listener.local_addr().expect("bound"));
    tokio::spawn(fake_provider::serve(fake_listener, fake_provider::Config::default()));
    // A second fake provider on another port: another origin, so tests can prove a key saved for
    // the first never reaches it.
    let other_fake_listener = match TcpListener::bind(("127.0.0.1", 0)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("devhost: cannot bind the second fake provider: {e}");
            return 1;
        }
    };
    let other_fake_origin = format!("http://{}", other_fake_listener.local_addr().expect("bound"));
    tokio::spawn(fake_provider::serve(other_fake_listener, fake_provider::Config::default()));

    let listener = match TcpListener::bind(("127.0.0.1", options.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("devhost: cannot listen on 127.0.0.1:{}: {e}", options.port);
            return 1;
        }
    };
    let origin = format!("http://{}", listener.local_addr().expect("bound"));

    let executable = match std::env::current_exe() {
        Ok(path) => path,
        Err(e) => {
            eprintln!("devhost: cannot find its own executable to start the plugin worker: {e}");
            return 1;
        }
    };
    let plugin = match Supervisor::start(WorkerSpec {
        executable,
        library: options.plugin.clone(),
        home: options.home.clone(),
        log_level,
        key_store: options.key_store.clone(),
    })
    .await
    {
        Ok(plugin) => plugin,
        Err(message) => {
            eprintln!("devhost: {message}");
            return 3;
        }
    };

    let upstream = match &options.upstream {
        Some(url) => Upstream { base_url: url.trim_end_matches('/').to_string(), token: options.upstream_token.clone(), embedded_fake_origin: None },
        None => Upstream {
            base_url: format!("{fake_origin}/v1"),
            token: options.upstream_token.clone(),
            embedded_fake_origin: Some(fake_origin.clone()),
        },
    };
    let gateway = match ManagedGateway::new(upstream.clone(), origin.clone(), options.session) {
        Ok(gateway) => gateway,
        Err(message) => {
            eprintln!("devhost: {message}");
            return 1;
        }
    };
    let info = plugin.info().clone();
    let app = Arc::new(App {
        plugin: plugin.clone(),
        gateway,
        page_dir: options.page.clone(),
        bundle_dir: options.dist.clone(),
        saved_dir: options.home.join(".haloforge").join("devhost").join("saved"),
        origin: origin.clone(),
        custom_endpoint_suggestion: Some(format!("{fake_origin}/v1")),
    });

    logfile::devhost(Level::INFO, &format!("dev host started plugin={} version={} origin={origin}", info.id, info.version));
    println!("devhost: plugin {} {} loaded from {}", info.id, info.version, options.plugin.display());
    println!("devhost: commands: {}", info.commands.join(", "));
    println!("devhost: log directory {}", logfile::log_dir(&options.home).display());
    println!("devhost: fake image provider {fake_origin}/v1 (fault syntax: {fake_origin}/fake/fault=rate-limit:2/v1)");
    println!("devhost: second fake image provider {other_fake_origin}/v1 (another origin)");
    println!("devhost: managed gateway upstream {} (session: {:?})", upstream.base_url, options.session);
    println!("devhost: suggested custom endpoint base URL {fake_origin}/v1");
    println!("listening on {origin}");

    let accept = async {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let app = app.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| server::handle(app.clone(), request));
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    };
    tokio::select! {
        _ = accept => {}
        _ = stop_signal() => {}
    }
    println!("devhost: stopping");
    plugin.shut_down(Duration::from_secs(3)).await;
    logfile::devhost(Level::INFO, "dev host stopped");
    0
}

/// Ctrl+C or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
