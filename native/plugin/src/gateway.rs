//! The plugin's engine: a shared multi-thread tokio runtime, the transport and the registry of
//! requests in flight. IPC handlers are synchronous, so each call is spawned onto the runtime
//! and waited for on a plain channel (which, unlike `block_on`, also works when the host calls
//! from inside its own async runtime).

use std::future::Future;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use tokio::runtime::Runtime;
use tokio_util::sync::CancellationToken;

use crate::error::GatewayError;
use crate::panic_guard::CatchPanic;
use crate::progress::{Notice, ProgressStore};
use crate::registry::RequestRegistry;
use crate::stream::PlainOnlyEndpoints;
use crate::transport::Transport;

/// Runtime, transport, requests in flight, their partial images and which endpoints do not
/// stream; shared by every handler.
pub struct Gateway {
    runtime: Mutex<Option<Runtime>>,
    transport: Arc<dyn Transport>,
    registry: RequestRegistry,
    progress: Arc<ProgressStore>,
    plain_only: Arc<PlainOnlyEndpoints>,
}

impl Gateway {
    /// Starts the runtime (two worker threads: the work is I/O bound).
    pub fn new(transport: Arc<dyn Transport>) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("mig-gateway")
            .enable_all()
            .build()?;
        Ok(Self {
            runtime: Mutex::new(Some(runtime)),
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
        work: impl Future<Output = Result<T, GatewayError>> + Send + 'static,
        cancel: CancellationToken,
        timeout: Duration,
    ) -> Result<T, GatewayError> {
        let (_, notices) = mpsc::channel();
        self.run_observed(work, cancel, timeout, notices, |_| {})
    }

    /// [`Gateway::run`], handing each notice `work` sends to `on_notice` on the calling thread
    /// as it arrives (the host context, which emits plugin events, lives on that thread). The
    /// notices end when `work` ends and drops its senders.
    pub fn run_observed<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, GatewayError>> + Send + 'static,
        cancel: CancellationToken,
        timeout: Duration,
        notices: mpsc::Receiver<Notice>,
        mut on_notice: impl FnMut(Notice),
    ) -> Result<T, GatewayError> {
        let handle = match self.runtime.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(runtime) => runtime.handle().clone(),
            None => return Err(GatewayError::network("The plugin is shutting down.").with_sent(false)),
        };
        let (sender, receiver) = mpsc::sync_channel(1);
        let work = CatchPanic::new(work);
        handle.spawn(async move {
            let outcome = tokio::select! {
                biased;
                _ = cancel.cancelled() => Err(GatewayError::cancelled()),
                finished = tokio::time::timeout(timeout, work) => match finished {
                    Ok(Ok(outcome)) => outcome,
                    Ok(Err(panicked)) => Err(GatewayError::internal(&panicked.location)),
                    Err(_) => Err(GatewayError::timeout(format!("No complete answer within {} ms.", timeout.as_millis()))),
                },
            };
            let _ = sender.send(outcome);
        });
        while let Ok(notice) = notices.recv() {
            on_notice(notice);
        }
        receiver
            .recv()
            .unwrap_or_else(|_| Err(GatewayError::cancelled_by_shutdown()))
    }

    /// Cancels everything in flight and stops the runtime without blocking.
    pub fn shutdown(&self) {
        self.registry.cancel_all();
        if let Some(runtime) = self.runtime.lock().unwrap_or_else(|p| p.into_inner()).take() {
            runtime.shutdown_background();
        }
    }
}

impl Drop for Gateway {
    /// Dropping a runtime inside another runtime's thread panics; `shutdown_background` does not.
    fn drop(&mut self) {
        self.shutdown();
    }
}
