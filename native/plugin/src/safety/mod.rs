//! What keeps secrets in and bugs contained: [`redact`] (the one redaction function for every
//! outgoing string) and [`panic_guard`] (a panic in the crate's own code answers `internal`).

pub mod panic_guard;
pub mod redact;
