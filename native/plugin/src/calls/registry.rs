//! Requests in flight, by the frontend's request id, so `cancel_request` can reach them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use crate::error::Error;

/// How long a cancel for a request that has not started yet is remembered. The host may run
/// `cancel_request` on another thread before the request's own call has registered.
const EARLY_CANCEL_MEMORY: Duration = Duration::from_secs(30);
const EARLY_CANCEL_LIMIT: usize = 1024;

#[derive(Default)]
struct State {
    running: HashMap<String, CancellationToken>,
    early_cancels: HashMap<String, Instant>,
}

/// Requests in flight and early cancels.
#[derive(Default)]
pub struct RequestRegistry {
    state: Mutex<State>,
}

/// Why a request could not be registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuplicateRequestId;

/// Keeps a request registered; removes it when dropped.
pub struct RequestGuard<'a> {
    registry: &'a RequestRegistry,
    id: String,
    token: CancellationToken,
}

impl RequestGuard<'_> {
    /// Fires when the request is cancelled.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }
}

impl Drop for RequestGuard<'_> {
    fn drop(&mut self) {
        self.registry.lock().running.remove(&self.id);
    }
}

impl RequestRegistry {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere must not disable cancelling.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a request. Its token is already cancelled if a cancel for this id arrived first.
    pub fn begin(&self, id: &str) -> Result<RequestGuard<'_>, DuplicateRequestId> {
        let mut state = self.lock();
        if state.running.contains_key(id) {
            return Err(DuplicateRequestId);
        }
        let token = CancellationToken::new();
        if state.early_cancels.remove(id).is_some_and(|at| at.elapsed() < EARLY_CANCEL_MEMORY) {
            token.cancel();
        }
        state.running.insert(id.to_string(), token.clone());
        Ok(RequestGuard { registry: self, id: id.to_string(), token })
    }

    /// Cancels a running request; true if one was running. An unknown id is remembered for a
    /// short while in case its request has not registered yet.
    pub fn cancel(&self, id: &str) -> bool {
        let mut state = self.lock();
        if let Some(token) = state.running.get(id) {
            token.cancel();
            return true;
        }
        let now = Instant::now();
        state.early_cancels.retain(|_, at| now.duration_since(*at) < EARLY_CANCEL_MEMORY);
        if state.early_cancels.len() < EARLY_CANCEL_LIMIT {
            state.early_cancels.insert(id.to_string(), now);
        }
        false
    }

    /// Cancels everything (on unload).
    pub fn cancel_all(&self) {
        for token in self.lock().running.values() {
            token.cancel();
        }
    }

    /// Number of requests in flight.
    #[cfg(test)]
    pub fn in_flight(&self) -> usize {
        self.lock().running.len()
    }
}

/// A request id: 1–128 characters of `A-Z a-z 0-9 . _ : -`.
pub fn check_request_id(id: &str) -> Result<(), Error> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_request("requestId must be 1-128 characters of letters, digits, '.', '_', ':' or '-'."))
    }
}

/// The request id as it may appear in a log line: itself when valid, else a placeholder (an
/// invalid id is caller text and could carry anything).
pub fn loggable_request_id(id: &str) -> String {
    if check_request_id(id).is_ok() { id.to_string() } else { "[invalid]".to_string() }
}

impl From<DuplicateRequestId> for Error {
    fn from(_: DuplicateRequestId) -> Self {
        Error::invalid_request("A request with this requestId is already running.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_only_the_named_request() {
        let registry = RequestRegistry::default();
        let a = registry.begin("a").unwrap();
        let b = registry.begin("b").unwrap();
        assert!(registry.cancel("a"));
        assert!(a.token().is_cancelled());
        assert!(!b.token().is_cancelled());
    }

    #[test]
    fn ids_are_unique_while_in_flight_and_free_again_after() {
        let registry = RequestRegistry::default();
        let a = registry.begin("a").unwrap();
        assert!(registry.begin("a").is_err());
        drop(a);
        assert_eq!(registry.in_flight(), 0);
        assert!(registry.begin("a").is_ok());
    }

    #[test]
    fn a_cancel_that_arrives_first_cancels_the_request_when_it_starts() {
        let registry = RequestRegistry::default();
        assert!(!registry.cancel("late"));
        assert!(registry.begin("late").unwrap().token().is_cancelled());
        assert!(!registry.begin("other").unwrap().token().is_cancelled());
    }

    #[test]
    fn request_ids_are_short_and_plain() {
        assert!(check_request_id("mig-1700000000000-3").is_ok());
        assert!(check_request_id("").is_err());
        assert!(check_request_id("a b").is_err());
        assert!(check_request_id(&"x".repeat(129)).is_err());
    }
}
