//! Custody of the custom endpoint's API key: the operating system's credential store when it
//! works, else an owner-only file under the plugin's `data_dir()`. Only this crate reads the key;
//! no command answers it, and the host settings (which every frontend can read) never hold it.
//!
//! - [`custody`]: which store holds the key, the fallback, and the notices the panel shows;
//! - [`file_store`]: the fallback file (0600 on Unix, written atomically);
//! - [`system_store`]: the OS credential store through `keyring-core`;
//! - [`host_settings`]: moving a key that an earlier version left in the host settings.

pub mod custody;
pub mod file_store;
pub mod host_settings;
pub mod system_store;

pub use custody::{KeyCustody, KeyStatus};

use crate::error::Error;
use crate::safety::redact::MIN_SECRET_CHARS;

/// An API key: 4–4096 visible ASCII characters, no spaces (redaction searches for known secrets of
/// at least [`MIN_SECRET_CHARS`] characters).
pub fn check_api_key(key: &str) -> Result<(), Error> {
    if key.len() < MIN_SECRET_CHARS || key.len() > 4096 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid_request("The API key must be 4-4096 visible characters without spaces.").with_reason("api_key_format"));
    }
    Ok(())
}


/// Why a store could not do what was asked. The text never holds the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreFailure {
    /// The store cannot be used now (no credential service, locked, refused, I/O error).
    Unavailable(String),
    /// The store answered, but what it holds is not a usable key.
    Corrupt(String),
}

impl std::fmt::Display for StoreFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreFailure::Unavailable(why) => write!(f, "unavailable: {why}"),
            StoreFailure::Corrupt(why) => write!(f, "unreadable: {why}"),
        }
    }
}

/// One place that can hold the key. A boundary: the real ones talk to the OS.
pub trait SecretStore: Send + Sync {
    /// The stored key, `None` when there is none.
    fn read(&self) -> Result<Option<String>, StoreFailure>;
    /// Stores `key`, replacing any earlier one.
    fn write(&self, key: &str) -> Result<(), StoreFailure>;
    /// Removes the key; removing nothing is fine.
    fn remove(&self) -> Result<(), StoreFailure>;
}
