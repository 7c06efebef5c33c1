//! Partial images of streaming requests, held until the panel fetches them with
//! `request_progress`.
//!
//! Memory stays bounded: per request only the newest undelivered partial of each image is kept
//! (a newer one replaces it, the panel only shows the newest; the image's final version removes
//! it too), a fetched partial is removed at
//! once (its bytes are never answered twice), and an ended request's entry goes when its last
//! partial is fetched, or [`ENDED_MEMORY`] after it ended when nobody asks.

use std::collections::HashMap;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::wire::events::{Partial, PartialSink};

/// How long partials of an ended request wait for a fetch.
pub const ENDED_MEMORY: Duration = Duration::from_secs(30);

/// What the plugin event says about a new partial: no bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The request.
    pub request_id: String,
    /// The partial's sequence number within the request (1, 2, …).
    pub seq: u64,
    /// Which image.
    pub image_index: u32,
    /// Which partial of that image.
    pub partial_index: u32,
}

impl Notice {
    /// The plugin event's payload.
    pub fn payload(&self) -> Value {
        json!({ "requestId": self.request_id, "seq": self.seq, "imageIndex": self.image_index, "partialIndex": self.partial_index })
    }
}

struct Held {
    seq: u64,
    partial: Partial,
}

struct Entry {
    held: Vec<Held>,
    last_seq: u64,
    ended_at: Option<Instant>,
}

/// The partials of every streaming request.
#[derive(Default)]
pub struct ProgressStore {
    entries: Mutex<HashMap<String, Entry>>,
}

/// A `request_progress` answer's content.
#[derive(Debug)]
pub struct Progress {
    /// `streaming`, `ended` (partials may still wait) or `unknown`.
    pub state: &'static str,
    /// The newest sequence number handed out so far.
    pub last_seq: u64,
    /// Partials newer than `after`, oldest first, each with its sequence number.
    pub partials: Vec<(u64, Partial)>,
}

impl ProgressStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A streaming request starts (a finished one of the same id is forgotten).
    pub fn begin(&self, request_id: &str) {
        let mut entries = self.lock();
        sweep(&mut entries);
        entries.insert(request_id.to_string(), Entry { held: Vec::new(), last_seq: 0, ended_at: None });
    }

    /// Keeps a new partial, replacing an undelivered older one of the same image.
    pub fn push(&self, request_id: &str, partial: Partial) -> Option<Notice> {
        let mut entries = self.lock();
        let entry = entries.get_mut(request_id).filter(|e| e.ended_at.is_none())?;
        entry.last_seq += 1;
        let seq = entry.last_seq;
        let notice = Notice { request_id: request_id.to_string(), seq, image_index: partial.image_index, partial_index: partial.partial_index };
        entry.held.retain(|held| held.partial.image_index != partial.image_index);
        entry.held.push(Held { seq, partial });
        Some(notice)
    }

    /// An image's final version arrived: its unfetched partial is no preview any more.
    pub fn image_done(&self, request_id: &str, image_index: u32) {
        if let Some(entry) = self.lock().get_mut(request_id) {
            entry.held.retain(|held| held.partial.image_index != image_index);
        }
    }

    /// The request ended; nothing more arrives. Its entry stays only while partials wait.
    pub fn end(&self, request_id: &str) {
        let mut entries = self.lock();
        if let Some(entry) = entries.get_mut(request_id) {
            if entry.held.is_empty() {
                entries.remove(request_id);
            } else {
                entry.ended_at = Some(Instant::now());
            }
        }
    }

    /// Hands out the partials newer than `after` and forgets them and any older ones.
    pub fn take(&self, request_id: &str, after: u64) -> Progress {
        let mut entries = self.lock();
        sweep(&mut entries);
        let Some(entry) = entries.get_mut(request_id) else {
            return Progress { state: "unknown", last_seq: 0, partials: Vec::new() };
        };
        let held = std::mem::take(&mut entry.held);
        let partials: Vec<(u64, Partial)> = held.into_iter().filter(|h| h.seq > after).map(|h| (h.seq, h.partial)).collect();
        let progress = Progress { state: if entry.ended_at.is_some() { "ended" } else { "streaming" }, last_seq: entry.last_seq, partials };
        if entry.ended_at.is_some() {
            entries.remove(request_id);
        }
        progress
    }

    #[cfg(test)]
    fn held_bytes(&self) -> usize {
        self.lock().values().flat_map(|e| e.held.iter()).map(|h| h.partial.b64_json.len()).sum()
    }
}

fn sweep(entries: &mut HashMap<String, Entry>) {
    entries.retain(|_, entry| entry.ended_at.is_none_or(|at| at.elapsed() < ENDED_MEMORY));
}

/// Where a streaming call puts its partials: the store, plus a notice to the handler's thread,
/// which emits the plugin event (the host context lives there).
#[derive(Clone)]
pub struct ProgressSink {
    store: Arc<ProgressStore>,
    request_id: String,
    notices: mpsc::Sender<Notice>,
    image_offset: u32,
}

impl ProgressSink {
    /// A sink for one request.
    pub fn new(store: Arc<ProgressStore>, request_id: &str, notices: mpsc::Sender<Notice>) -> Self {
        Self { store, request_id: request_id.to_string(), notices, image_offset: 0 }
    }

    /// The same sink for a call whose images are numbered from `offset` (the Responses API's
    /// parallel calls make one image each).
    pub fn with_image_offset(&self, offset: u32) -> Self {
        Self { image_offset: offset, ..self.clone() }
    }
}

impl PartialSink for ProgressSink {
    /// Image `index` (before the offset) is complete.
    fn image_done(&self, index: u32) {
        self.store.image_done(&self.request_id, index.saturating_add(self.image_offset));
    }

    /// A new partial arrived: held for `request_progress`, announced by a notice.
    fn partial(&self, mut partial: Partial) {
        partial.image_index = partial.image_index.saturating_add(self.image_offset);
        if let Some(notice) = self.store.push(&self.request_id, partial) {
            let _ = self.notices.send(notice);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partial(image_index: u32, partial_index: u32) -> Partial {
        Partial { image_index, partial_index, b64_json: format!("P{image_index}{partial_index}"), output_format: None }
    }

    #[test]
    fn partials_are_handed_out_once_and_a_newer_one_replaces_an_unfetched_one() {
        let store = ProgressStore::default();
        store.begin("r");
        store.push("r", partial(0, 0)).unwrap();
        store.push("r", partial(0, 1)).unwrap();
        store.push("r", partial(1, 0)).unwrap();
        let first = store.take("r", 0);
        assert_eq!(first.state, "streaming");
        assert_eq!(first.partials.iter().map(|(seq, p)| (*seq, p.b64_json.as_str())).collect::<Vec<_>>(), vec![(2, "P01"), (3, "P10")]);
        assert!(store.take("r", 0).partials.is_empty(), "nothing twice");
        store.push("r", partial(0, 2)).unwrap();
        store.push("r", partial(1, 1)).unwrap();
        store.image_done("r", 1);
        store.end("r");
        assert!(store.push("r", partial(0, 3)).is_none(), "nothing after the end");
        let last = store.take("r", 3);
        assert_eq!((last.state, last.last_seq, last.partials.len()), ("ended", 5, 1), "image 1's partial went with its final image");
        assert_eq!(store.take("r", 5).state, "unknown", "forgotten once fetched");
        assert_eq!(store.held_bytes(), 0);
    }

    #[test]
    fn an_ended_request_without_waiting_partials_is_forgotten_at_once() {
        let store = ProgressStore::default();
        store.begin("r");
        store.end("r");
        assert_eq!(store.take("r", 0).state, "unknown");
        assert!(store.push("never-begun", partial(0, 0)).is_none());
    }
}
