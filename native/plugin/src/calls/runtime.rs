//! The plugin's engine: a shared tokio runtime, the transport and the registry of requests in
//! flight. IPC handlers are synchronous, so each call is spawned onto the runtime and waited for
//! on a plain channel (which, unlike `block_on`, also works when the host calls from inside its
//! own async runtime).
//!
//! The runtime is a current-thread one driven by a thread of its own: the work is waiting on
//! sockets, which one thread does for every request at once, and tokio's multi-thread scheduler
//! would add 57 KB to the library for nothing the benchmark can see.

use std::future::Future;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use super::progress::{Notice, ProgressStore};
use super::registry::RequestRegistry;
use super::streaming::PlainOnlyEndpoints;
use crate::error::Error;
use crate::http::transport::Transport;
use crate::safety::panic_guard::CatchPanic;

/// Runtime, transport, requests in flight, their partial images and which endpoints do not
/// stream; shared by every handler.
pub struct Runtime {
    runtime: Mutex<Option<RuntimeThread>>,
    transport: Arc<dyn Transport>,
    registry: RequestRegistry,
    progress: Arc<ProgressStore>,
    plain_only: Arc<PlainOnlyEndpoints>,
}

impl Runtime {
    /// Starts the runtime and the thread that drives it.
    pub fn new(transport: Arc<dyn Transport>) -> std::io::Result<Self> {
        Ok(Self {
            runtime: Mutex::new(Some(RuntimeThread::start()?)),
            transport,
            registry: RequestRegistry::default(),
            progress: Arc::default(),
            plain_only: Arc::default(),
        })
    }

    /// The transport.
    pub fn transport(&self) -> Arc<dyn Transport> {
        self.transport.clone()
    }

    /// Requests in flight.
    pub fn registry(&self) -> &RequestRegistry {
        &self.registry
    }

    /// Partial images of streaming requests.
    pub fn progress(&self) -> Arc<ProgressStore> {
        self.progress.clone()
    }

    /// Endpoints that answered a streaming request without streaming.
    pub fn plain_only(&self) -> Arc<PlainOnlyEndpoints> {
        self.plain_only.clone()
    }

    /// Runs `work` on the runtime, racing it against `cancel` and `timeout`, and waits for the
    /// outcome on the calling thread. Dropping the losing future closes its connection. A panic
    /// inside `work` ends it with the `internal` error.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, Error>> + Send + 'static,
        cancel: CancellationToken,
        timeout: Duration,
    ) -> Result<T, Error> {
        let (_, notices) = mpsc::channel();
        self.run_observed(work, cancel, timeout, notices, |_| {})
    }

    /// [`Runtime::run`], handing each notice `work` sends to `on_notice` on the calling thread
    /// as it arrives (the host context, which emits plugin events, lives on that thread). The
    /// notices end when `work` ends and drops its senders.
    pub fn run_observed<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, Error>> + Send + 'static,
        cancel: CancellationToken,
        timeout: Duration,
        notices: mpsc::Receiver<Notice>,
        mut on_notice: impl FnMut(Notice),
    ) -> Result<T, Error> {
        let handle = match self.runtime.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(runtime) => runtime.handle.clone(),
            None => return Err(Error::network("The plugin is shutting down.").with_sent(false)),
        };
        let (sender, receiver) = mpsc::sync_channel(1);
        let work = CatchPanic::new(work);
        handle.spawn(async move {
            let outcome = tokio::select! {
                biased;
                _ = cancel.cancelled() => Err(Error::cancelled()),
                finished = tokio::time::timeout(timeout, work) => match finished {
                    Ok(Ok(outcome)) => outcome,
                    Ok(Err(panicked)) => Err(panicked.into()),
                    Err(_) => Err(Error::timeout(format!("No complete answer within {} ms.", timeout.as_millis()))),
                },
            };
            let _ = sender.send(outcome);
        });
        while let Ok(notice) = notices.recv() {
            on_notice(notice);
        }
        receiver
            .recv()
            .unwrap_or_else(|_| Err(Error::cancelled_by_shutdown()))
    }

    /// Cancels everything in flight and stops the runtime without blocking.
    pub fn shutdown(&self) {
        self.registry.cancel_all();
        if let Some(runtime) = self.runtime.lock().unwrap_or_else(|p| p.into_inner()).take() {
            runtime.stop();
        }
    }
}

/// A current-thread runtime running on its own thread until told to stop; any thread spawns
/// onto it through the handle.
struct RuntimeThread {
    handle: Handle,
    stop: oneshot::Sender<()>,
}

impl RuntimeThread {
    fn start() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new().name("mig-gateway".into()).spawn(move || {
            // Ends on `stop` or when the sender is dropped; dropping the runtime then drops
            // every task still on it, closing its connections.
            let _ = runtime.block_on(stopped);
        })?;
        Ok(Self { handle, stop })
    }

    /// Asks the thread to stop and returns at once.
    fn stop(self) {
        let _ = self.stop.send(());
    }
}

impl Drop for Runtime {
    /// The runtime is dropped on its own thread, never inside a caller's async runtime.
    fn drop(&mut self) {
        self.shutdown();
    }
}
