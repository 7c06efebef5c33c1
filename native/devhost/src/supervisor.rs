//! The server side of the plugin worker (see [`crate::protocol`]): starts the worker, sends it
//! calls, matches replies, and when the worker dies answers every call in flight with an error
//! and starts a fresh worker on the next call.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::oneshot;
use tracing::Level;

use crate::events::EventRelay;
use crate::logfile;
use crate::protocol::{Call, Hello, PluginInfo, Reply, WorkerLine, MARKER};

/// How to start a worker.
#[derive(Debug, Clone)]
pub struct WorkerSpec {
    /// This executable.
    pub executable: PathBuf,
    /// The plugin library.
    pub library: PathBuf,
    /// The home directory the worker uses.
    pub home: PathBuf,
    /// `RUST_LOG`-style level passed on.
    pub log_level: String,
    /// Where the plugin keeps the API key (`file` | `system`), passed as `HFMIG_KEY_STORE`.
    pub key_store: String,
}

/// Calls waiting for a reply, by call id, with the worker (generation) they were sent to.
type Pending = Arc<Mutex<HashMap<u64, PendingCall>>>;

struct PendingCall {
    generation: u64,
    label: String,
    sender: oneshot::Sender<Reply>,
}

struct Running {
    generation: u64,
    alive: Arc<AtomicBool>,
    stdin: Arc<tokio::sync::Mutex<ChildStdin>>,
    child: Arc<tokio::sync::Mutex<Child>>,
}

/// The plugin, as seen from the server.
pub struct Supervisor {
    spec: WorkerSpec,
    info: PluginInfo,
    pending: Pending,
    /// The current worker. Held across a restart, so concurrent calls start only one new worker.
    running: tokio::sync::Mutex<Option<Running>>,
    next_id: AtomicU64,
    next_generation: AtomicU64,
    events: Arc<EventRelay>,
}

const CRASH_MESSAGE: &str = "The plugin crashed while handling this call (a panic aborts the plugin process; its message is on the dev host's console). The dev host restarts the plugin for the next call.";

async fn spawn(spec: &WorkerSpec) -> Result<(Child, PluginInfo, tokio::io::Lines<BufReader<tokio::process::ChildStdout>>), String> {
    let mut command = Command::new(&spec.executable);
    // Its own process group: Ctrl+C in the terminal reaches only the server, which then closes
    // the worker's stdin so the plugin gets its on_unload. (A server killed outright still ends
    // the worker: its stdin closes.)
    #[cfg(unix)]
    command.process_group(0);
    let mut child = command
        .arg("--plugin-worker")
        .arg(&spec.library)
        .arg("--home")
        .arg(&spec.home)
        .env("RUST_LOG", &spec.log_level)
        .env("HFMIG_KEY_STORE", &spec.key_store)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start the plugin worker: {e}"))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let hello = tokio::time::timeout(Duration::from_secs(60), async {
        while let Ok(Some(line)) = lines.next_line().await {
            match line.strip_prefix(MARKER) {
                Some(json) => return serde_json::from_str::<WorkerLine>(json).ok(),
                None => eprintln!("{line}"),
            }
        }
        None
    })
    .await
    .ok()
    .flatten();
    match hello {
        Some(WorkerLine::Hello(Hello::Ready(info))) => Ok((child, info, lines)),
        Some(WorkerLine::Hello(Hello::Failed(message))) => Err(message),
        _ => Err("the plugin worker exited before the plugin was loaded (see the messages above)".into()),
    }
}

impl Supervisor {
    /// Starts the first worker; its failure (a refused library, a failing `on_load`) is returned.
    pub async fn start(spec: WorkerSpec) -> Result<Arc<Supervisor>, String> {
        let (child, info, lines) = spawn(&spec).await?;
        let supervisor = Arc::new(Supervisor {
            spec,
            info,
            pending: Arc::default(),
            running: tokio::sync::Mutex::new(None),
            next_id: AtomicU64::new(1),
            next_generation: AtomicU64::new(1),
            events: Arc::default(),
        });
        let running = supervisor.adopt(child, lines);
        *supervisor.running.lock().await = Some(running);
        Ok(supervisor)
    }

    /// The loaded plugin.
    pub fn info(&self) -> &PluginInfo {
        &self.info
    }

    /// The plugin's events, for the page.
    pub fn events(&self) -> &EventRelay {
        &self.events
    }

    /// Starts reading a new worker's replies; when it dies, its calls still waiting get the
    /// crash answer.
    fn adopt(&self, mut child: Child, mut lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>) -> Running {
        let generation = self.next_generation.fetch_add(1, Ordering::SeqCst);
        let alive = Arc::new(AtomicBool::new(true));
        let stdin = Arc::new(tokio::sync::Mutex::new(child.stdin.take().expect("piped stdin")));
        let child = Arc::new(tokio::sync::Mutex::new(child));
        let pending = self.pending.clone();
        let events = self.events.clone();
        let (still_alive, waited_child) = (alive.clone(), child.clone());
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                match line.strip_prefix(MARKER).map(serde_json::from_str::<WorkerLine>) {
                    Some(Ok(WorkerLine::Reply(reply))) => {
                        let waiter = pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&reply.id);
                        if let Some(waiter) = waiter {
                            let _ = waiter.sender.send(reply);
                        }
                    }
                    Some(Ok(WorkerLine::Event(event))) => events.push(event.event, event.payload),
                    Some(_) => {}
                    None => eprintln!("{line}"),
                }
            }
            still_alive.store(false, Ordering::SeqCst);
            // Reap it first: a call registered after this point finds the pipe closed.
            let status = waited_child.lock().await.wait().await;
            let orphaned: Vec<(u64, PendingCall)> = {
                let mut pending = pending.lock().unwrap_or_else(|e| e.into_inner());
                let ids: Vec<u64> = pending.iter().filter(|(_, call)| call.generation == generation).map(|(id, _)| *id).collect();
                ids.into_iter().filter_map(|id| pending.remove(&id).map(|call| (id, call))).collect()
            };
            if !orphaned.is_empty() {
                let labels: Vec<&str> = orphaned.iter().map(|(_, call)| call.label.as_str()).collect();
                let message = format!("plugin worker exited ({status:?}) while handling: {}", labels.join(", "));
                eprintln!("devhost: {message}; it restarts on the next call");
                logfile::devhost(Level::ERROR, &message);
            }
            for (id, call) in orphaned {
                let _ = call.sender.send(Reply { id, status: 500, value: Value::Null, error: Some(CRASH_MESSAGE.into()) });
            }
        });
        Running { generation, alive, stdin, child }
    }

    /// The live worker's generation and stdin, starting a new worker if the last one died.
    async fn live_worker(&self) -> Result<(u64, Arc<tokio::sync::Mutex<ChildStdin>>), String> {
        let mut running = self.running.lock().await;
        if let Some(worker) = running.as_ref().filter(|w| w.alive.load(Ordering::SeqCst)) {
            return Ok((worker.generation, worker.stdin.clone()));
        }
        let (child, _info, lines) = spawn(&self.spec).await?;
        logfile::devhost(Level::INFO, "plugin worker restarted");
        let worker = self.adopt(child, lines);
        let live = (worker.generation, worker.stdin.clone());
        *running = Some(worker);
        Ok(live)
    }

    /// Sends one host command to the plugin and waits for its reply. `label` names the call in
    /// crash reports (the wire name for `plugin_invoke`).
    pub async fn call(&self, command: &str, args: Value, label: String) -> Reply {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let crashed = || Reply { id, status: 500, value: Value::Null, error: Some(CRASH_MESSAGE.into()) };
        let (generation, stdin) = match self.live_worker().await {
            Ok(worker) => worker,
            Err(message) => return Reply { id, status: 500, value: Value::Null, error: Some(message) },
        };
        let (sender, receiver) = oneshot::channel();
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).insert(id, PendingCall { generation, label, sender });
        let mut line = serde_json::to_string(&Call { id, command: command.to_string(), args }).expect("calls serialize");
        line.push('\n');
        let written = {
            let mut stdin = stdin.lock().await;
            stdin.write_all(line.as_bytes()).await.and(stdin.flush().await)
        };
        if written.is_err() {
            self.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            return crashed();
        }
        receiver.await.unwrap_or_else(|_| crashed())
    }

    /// Closes the worker's stdin so it unloads the plugin; kills it after `grace`.
    pub async fn shut_down(&self, grace: Duration) {
        let Some(worker) = self.running.lock().await.take() else { return };
        // Closing stdin is the worker's signal to call on_unload and exit.
        let _ = worker.stdin.lock().await.shutdown().await;
        drop(worker.stdin);
        let mut child = worker.child.lock().await;
        if tokio::time::timeout(grace, child.wait()).await.is_err() {
            let _ = child.kill().await;
        }
    }
}
