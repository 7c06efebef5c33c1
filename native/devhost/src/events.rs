//! Plugin events on their way to the page: the worker reports each `events().emit` as a
//! protocol line, the server keeps the newest [`KEPT`] here, and the page's Tauri shim
//! long-polls `GET /host/events?after=<seq>` and hands them to its `listen` callbacks.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::Notify;

/// Events kept for a page that polls late (a bound, not a history).
pub const KEPT: usize = 256;

struct Kept {
    seq: u64,
    event: String,
    payload: Value,
}

/// The newest plugin events, numbered from 1.
#[derive(Default)]
pub struct EventRelay {
    kept: Mutex<VecDeque<Kept>>,
    arrived: Notify,
}

impl EventRelay {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Kept>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A plugin emitted `event` (the wire name `plugin:<id>:<name>`).
    pub fn push(&self, event: String, payload: Value) {
        {
            let mut kept = self.lock();
            let seq = kept.back().map_or(1, |last| last.seq + 1);
            if kept.len() == KEPT {
                kept.pop_front();
            }
            kept.push_back(Kept { seq, event, payload });
        }
        self.arrived.notify_waiters();
    }

    /// The newest sequence number (0 before the first event).
    pub fn last(&self) -> u64 {
        self.lock().back().map_or(0, |last| last.seq)
    }

    fn newer(&self, after: u64) -> (Vec<Value>, u64) {
        let kept = self.lock();
        let events = kept
            .iter()
            .filter(|k| k.seq > after)
            .map(|k| json!({ "seq": k.seq, "event": k.event, "payload": k.payload }))
            .collect();
        (events, kept.back().map_or(0, |last| last.seq))
    }

    /// `{ events: [{ seq, event, payload }], last }` with the events newer than `after`,
    /// waiting up to `wait` for one when there is none yet.
    pub async fn wait_newer(&self, after: u64, wait: Duration) -> Value {
        let arrived = self.arrived.notified();
        tokio::pin!(arrived);
        arrived.as_mut().enable();
        let (events, last) = self.newer(after);
        if !events.is_empty() || last < after {
            // `last < after`: a restarted dev host; the page starts over from 0.
            return json!({ "events": events, "last": last });
        }
        let _ = tokio::time::timeout(wait, arrived).await;
        let (events, last) = self.newer(after);
        json!({ "events": events, "last": last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_waiting_poll_gets_the_next_event_and_old_ones_are_bounded() {
        let relay = std::sync::Arc::new(EventRelay::default());
        let waiting = tokio::spawn({
            let relay = relay.clone();
            async move { relay.wait_newer(0, Duration::from_secs(5)).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        relay.push("plugin:p:e".into(), json!({ "n": 1 }));
        let answer = waiting.await.unwrap();
        assert_eq!(answer, json!({ "events": [{ "seq": 1, "event": "plugin:p:e", "payload": { "n": 1 } }], "last": 1 }));
        for n in 0..KEPT + 10 {
            relay.push("plugin:p:e".into(), json!({ "n": n }));
        }
        let all = relay.wait_newer(0, Duration::ZERO).await;
        assert_eq!(all["events"].as_array().unwrap().len(), KEPT);
        assert_eq!(relay.wait_newer(all["last"].as_u64().unwrap(), Duration::from_millis(10)).await["events"], json!([]));
    }
}
