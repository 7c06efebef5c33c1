//! Custody of the endpoint profiles' API keys: the operating system's credential store when it
//! works, else owner-only files under the plugin's `data_dir()`. One entry per profile, each
//! bound to the origin (scheme, host, port) it was saved for: the key goes only to that origin.
//! Only this crate reads a key; no command answers it, and the host settings (which every
//! frontend can read) never hold it.
//!
//! - [`custody`]: which store holds each key, the fallback, the notices the panel shows, and
//!   [`KeyCustody::for_call`], the one place a call gets its key;
//! - [`profile`]: profile ids and origins;
//! - [`headers`]: extra headers may not carry credentials;
//! - [`file_store`]: the fallback files (0600 on Unix, written atomically), and the list of
//!   profiles that have a key;
//! - [`system_store`]: the OS credential store through `keyring-core`;
//! - [`host_settings`]: moving a key that an earlier version left in the host settings.

pub mod custody;
pub mod file_store;
pub mod headers;
pub mod host_settings;
pub mod profile;
pub mod system_store;

pub use custody::{KeyCustody, KeyStatus};
pub use profile::{Origin, ProfileId};

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

/// The entry name of the single key earlier versions kept (no profile, no origin).
pub const LEGACY_ENTRY: &str = "custom-endpoint-api-key";

/// The entry name of a profile's key: `custom-endpoint-api-key.<profile id>`.
pub fn profile_entry(profile: &ProfileId) -> String {
    format!("{LEGACY_ENTRY}.{}", profile.as_str())
}

/// What one entry holds: the key and, for a profile's entry, the origin it was saved for.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// The key.
    pub api_key: String,
    /// `Some` for a profile's key; `None` for the legacy entry.
    pub origin: Option<String>,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredKey {{ api_key: [REDACTED], origin: {:?} }}", self.origin)
    }
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

/// One place that can hold keys, by entry name ([`LEGACY_ENTRY`], [`profile_entry`]). A
/// boundary: the real ones talk to the OS.
pub trait SecretStore: Send + Sync {
    /// The entry's key, `None` when there is none.
    fn read(&self, entry: &str) -> Result<Option<StoredKey>, StoreFailure>;
    /// Stores `key` under `entry`, replacing any earlier one.
    fn write(&self, entry: &str, key: &StoredKey) -> Result<(), StoreFailure>;
    /// Removes the entry; removing nothing is fine.
    fn remove(&self, entry: &str) -> Result<(), StoreFailure>;
}
