//! Running calls: [`runtime`] (one tokio runtime on its own thread; each call raced against its
//! cancel token and time limit), [`registry`] (requests in flight by id), [`progress`] (partial
//! images waiting for `request_progress`), [`streaming`] (streaming calls and their fallback) and
//! [`log`] (one started and one terminal line per request); [`image_urls`] keeps images answered as
//! links.

pub mod image_urls;
pub mod log;
pub mod progress;
pub mod registry;
pub mod runtime;
pub mod streaming;
