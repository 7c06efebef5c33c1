//! The operating system's credential store through `keyring-core`: the macOS Keychain, the
//! Windows Credential Manager, or the Secret Service on Linux and the BSDs (through libdbus, built
//! into the library). The entry is `service = <plugin id>`, `user = custom-endpoint-api-key`.
//!
//! The store is opened on first use, not at load: loading the plugin never touches the keychain,
//! and a machine without a credential service (headless Linux, CI) costs one failed attempt.

use std::sync::{Arc, Mutex};

use keyring_core::{CredentialStore, Entry, Error};

use super::{SecretStore, StoreFailure};

/// The entry's user name (its service name is the plugin id).
pub const ENTRY_USER: &str = "custom-endpoint-api-key";

/// The platform's credential store.
pub struct SystemStore {
    service: String,
    entry: Mutex<Option<Result<Arc<Entry>, StoreFailure>>>,
}

impl SystemStore {
    /// The store for entries of `service` (the plugin id).
    pub fn new(service: &str) -> Self {
        Self { service: service.to_string(), entry: Mutex::new(None) }
    }

    fn entry(&self) -> Result<Arc<Entry>, StoreFailure> {
        let mut slot = self.entry.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(|| {
            let store = platform_store().map_err(|e| failure(&e))?;
            Entry::new_in_store(&store, &self.service, ENTRY_USER).map(Arc::new).map_err(|e| failure(&e))
        })
        .clone()
    }
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(windows)]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(all(unix, not(target_os = "macos")))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(dbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(not(any(unix, windows)))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(Error::NotSupportedByStore("no credential store on this platform".into()))
}

/// What went wrong, by kind only: some variants carry the stored bytes, which are never shown.
fn failure(error: &Error) -> StoreFailure {
    match error {
        Error::BadEncoding(_) | Error::BadDataFormat(..) => StoreFailure::Corrupt("the credential store holds an unreadable key".into()),
        Error::NoStorageAccess(_) => StoreFailure::Unavailable("the credential store is locked or refused access".into()),
        Error::PlatformFailure(_) | Error::NoDefaultStore => StoreFailure::Unavailable("no credential store is available".into()),
        Error::Ambiguous(_) => StoreFailure::Corrupt("the credential store holds more than one key".into()),
        _ => StoreFailure::Unavailable("the credential store refused the request".into()),
    }
}

impl SecretStore for SystemStore {
    fn read(&self) -> Result<Option<String>, StoreFailure> {
        match self.entry()?.get_password() {
            Ok(key) => Ok(Some(key)),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(failure(&e)),
        }
    }

    fn write(&self, key: &str) -> Result<(), StoreFailure> {
        self.entry()?.set_password(key).map_err(|e| failure(&e))
    }

    fn remove(&self) -> Result<(), StoreFailure> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(&e)),
        }
    }
}
