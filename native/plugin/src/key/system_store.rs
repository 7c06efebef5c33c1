//! The operating system's credential store through `keyring-core`: the macOS Keychain, the
//! Windows Credential Manager, or the Secret Service on Linux and the BSDs (through libdbus, built
//! into the library). Entries are `service = <plugin id>`, `user = <entry>`
//! (`custom-endpoint-api-key.<profile id>`; earlier versions' single key is
//! `custom-endpoint-api-key`). A profile's entry holds `{"version":2,"apiKey":…,"origin":…}`; the
//! earlier single key is the bare key.
//!
//! The store is opened on first use, not at load: loading the plugin never touches the keychain,
//! and a machine without a credential service (headless Linux, CI) costs one failed attempt.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use keyring_core::{CredentialStore, Entry, Error};
use serde::{Deserialize, Serialize};

use super::{check_api_key, SecretStore, StoreFailure, StoredKey};

/// The platform's credential store.
pub struct SystemStore {
    service: String,
    store: Mutex<Option<Result<Arc<CredentialStore>, StoreFailure>>>,
    entries: Mutex<HashMap<String, Arc<Entry>>>,
}

/// A profile's entry as the credential store keeps it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Bound {
    version: u32,
    api_key: String,
    origin: String,
}

impl SystemStore {
    /// The store for entries of `service` (the plugin id).
    pub fn new(service: &str) -> Self {
        Self { service: service.to_string(), store: Mutex::new(None), entries: Mutex::new(HashMap::new()) }
    }

    fn entry(&self, user: &str) -> Result<Arc<Entry>, StoreFailure> {
        let store = self.store.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(|| platform_store().map_err(|e| failure(&e))).clone()?;
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = entries.get(user) {
            return Ok(entry.clone());
        }
        let entry = Entry::new_in_store(&store, &self.service, user).map(Arc::new).map_err(|e| failure(&e))?;
        entries.insert(user.to_string(), entry.clone());
        Ok(entry)
    }
}

/// What the entry's password says: a profile's bound key, or the bare key of earlier versions.
fn decode(password: String) -> Result<StoredKey, StoreFailure> {
    let stored = match serde_json::from_str::<Bound>(&password) {
        Ok(bound) if bound.version == 2 => StoredKey { api_key: bound.api_key, origin: Some(bound.origin) },
        Ok(_) => return Err(StoreFailure::Corrupt("the credential store holds an unreadable key".into())),
        Err(_) => StoredKey { api_key: password, origin: None },
    };
    check_api_key(&stored.api_key).map_err(|_| StoreFailure::Corrupt("the credential store holds an unreadable key".into()))?;
    Ok(stored)
}

fn encode(key: &StoredKey) -> Result<String, StoreFailure> {
    match &key.origin {
        None => Ok(key.api_key.clone()),
        Some(origin) => serde_json::to_string(&Bound { version: 2, api_key: key.api_key.clone(), origin: origin.clone() })
            .map_err(|_| StoreFailure::Unavailable("could not encode the key".into())),
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
    fn read(&self, entry: &str) -> Result<Option<StoredKey>, StoreFailure> {
        match self.entry(entry)?.get_password() {
            Ok(password) => decode(password).map(Some),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(failure(&e)),
        }
    }

    fn write(&self, entry: &str, key: &StoredKey) -> Result<(), StoreFailure> {
        self.entry(entry)?.set_password(&encode(key)?).map_err(|e| failure(&e))
    }

    fn remove(&self, entry: &str) -> Result<(), StoreFailure> {
        match self.entry(entry)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(failure(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profiles_entry_keeps_its_origin_and_an_earlier_bare_key_has_none() {
        let bound = StoredKey { api_key: "sk-system-0001".into(), origin: Some("https://a.example".into()) };
        assert_eq!(decode(encode(&bound).unwrap()).unwrap(), bound);
        let bare = StoredKey { api_key: "sk-system-0002".into(), origin: None };
        assert_eq!(encode(&bare).unwrap(), "sk-system-0002");
        assert_eq!(decode("sk-system-0002".into()).unwrap(), bare);
        assert!(decode("has space".into()).is_err());
        assert!(decode(r#"{"version":3,"apiKey":"sk-x-0003","origin":"https://a"}"#.into()).is_err());
    }
}
