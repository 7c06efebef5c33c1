//! Which store holds the key. The OS credential store comes first; when it is missing, locked or
//! refuses, the key goes to the owner-only file instead (with a notice), so a key is never lost
//! and never put in the host settings. The key is read once and then kept in memory: it changes
//! only through this type, which hands it out for sending and inside a [`Redactor`] that
//! removes it from whatever leaves the crate.

use std::sync::Mutex;

use super::{SecretStore, StoreFailure};
use crate::safety::redact::Redactor;

/// Where the key is kept (wire: `"keychain"` | `"file"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// The OS credential store.
    Keychain,
    /// The owner-only file in the plugin's data folder.
    File,
}

impl Storage {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Storage::Keychain => "keychain",
            Storage::File => "file",
        }
    }
}

/// Something the user should know about the key's custody (wire: snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The credential store could not be used; a key is kept in the plugin data file.
    KeychainUnavailable,
    /// A stored key could not be read (a corrupt file or entry); no key is in use.
    KeyUnreadable,
}

impl Notice {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::KeychainUnavailable => "keychain_unavailable",
            Notice::KeyUnreadable => "key_unreadable",
        }
    }
}

/// What the panel may know: whether a key is set, where, and a notice. Never the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyStatus {
    /// A usable key is stored.
    pub key_set: bool,
    /// Where it is (only when set).
    pub storage: Option<Storage>,
    /// A notice, when custody is not as it should be.
    pub notice: Option<Notice>,
}

#[derive(Clone, Default)]
struct Held {
    key: Option<String>,
    storage: Option<Storage>,
    notice: Option<Notice>,
}

/// The key's custodian, shared by every command.
pub struct KeyCustody {
    system: Option<Box<dyn SecretStore>>,
    file: Box<dyn SecretStore>,
    held: Mutex<Option<Held>>,
}

impl std::fmt::Debug for KeyCustody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyCustody {{ system_store: {}, key: [REDACTED] }}", self.system.is_some())
    }
}

impl KeyCustody {
    /// `system` (the OS credential store, `None` to use the file only) with `file` as fallback.
    pub fn new(system: Option<Box<dyn SecretStore>>, file: Box<dyn SecretStore>) -> Self {
        Self { system, file, held: Mutex::new(None) }
    }

    fn with_held<T>(&self, f: impl FnOnce(&mut Held) -> T) -> T {
        let mut slot = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let held = slot.get_or_insert_with(|| self.load());
        f(held)
    }

    fn load(&self) -> Held {
        let mut notice = None;
        let mut system_usable = false;
        if let Some(system) = &self.system {
            match system.read() {
                Ok(Some(key)) => return Held { key: Some(key), storage: Some(Storage::Keychain), notice: None },
                Ok(None) => system_usable = true,
                Err(StoreFailure::Unavailable(_)) => notice = Some(Notice::KeychainUnavailable),
                Err(StoreFailure::Corrupt(_)) => notice = Some(Notice::KeyUnreadable),
            }
        }
        match self.file.read() {
            Ok(Some(key)) => {
                // Kept in the file while the credential store was unavailable: move it back.
                if system_usable && self.system.as_ref().is_some_and(|s| s.write(&key).is_ok()) {
                    let _ = self.file.remove();
                    return Held { key: Some(key), storage: Some(Storage::Keychain), notice: None };
                }
                Held { key: Some(key), storage: Some(Storage::File), notice }
            }
            Ok(None) => Held { key: None, storage: None, notice },
            Err(_) => Held { key: None, storage: None, notice: Some(Notice::KeyUnreadable) },
        }
    }

    /// The key to send, if one is stored.
    pub fn key(&self) -> Option<String> {
        self.with_held(|held| held.key.clone())
    }

    /// A redactor that removes the stored key (and nothing more when none is stored).
    pub fn redactor(&self) -> Redactor {
        Redactor::new(self.key())
    }

    /// Whether a key is stored, where, and any notice.
    pub fn status(&self) -> KeyStatus {
        self.with_held(|held| KeyStatus { key_set: held.key.is_some(), storage: held.storage, notice: held.notice })
    }

    /// Stores `key`: in the credential store if it takes it (then no file copy remains), else in
    /// the file. Fails only when neither can hold it.
    pub fn store(&self, key: &str) -> Result<KeyStatus, StoreFailure> {
        self.with_held(|held| {
            let mut notice = None;
            if let Some(system) = &self.system {
                match system.write(key) {
                    Ok(()) => {
                        self.file.remove()?;
                        *held = Held { key: Some(key.to_string()), storage: Some(Storage::Keychain), notice: None };
                        return Ok(KeyStatus { key_set: true, storage: Some(Storage::Keychain), notice: None });
                    }
                    Err(_) => notice = Some(Notice::KeychainUnavailable),
                }
            }
            self.file.write(key)?;
            *held = Held { key: Some(key.to_string()), storage: Some(Storage::File), notice };
            Ok(KeyStatus { key_set: true, storage: Some(Storage::File), notice })
        })
    }

    /// Removes the key from both stores. A credential store that is not there at all holds
    /// nothing; one that holds the key and refuses to delete it is a failure.
    pub fn clear(&self) -> Result<(), StoreFailure> {
        self.with_held(|held| {
            if let Some(system) = &self.system {
                if let Err(failure) = system.remove() {
                    if held.storage == Some(Storage::Keychain) {
                        return Err(failure);
                    }
                }
            }
            self.file.remove()?;
            *held = Held::default();
            Ok(())
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::key::file_store::FileStore;

    /// A credential store double: a boundary this crate does not own (the OS service).
    #[derive(Clone, Default)]
    pub struct MemoryStore {
        pub value: Arc<Mutex<Option<String>>>,
        pub refuse: Arc<Mutex<Option<StoreFailure>>>,
    }

    impl SecretStore for MemoryStore {
        fn read(&self) -> Result<Option<String>, StoreFailure> {
            match self.refuse.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => Ok(self.value.lock().unwrap().clone()),
            }
        }
        fn write(&self, key: &str) -> Result<(), StoreFailure> {
            match self.refuse.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => {
                    *self.value.lock().unwrap() = Some(key.to_string());
                    Ok(())
                }
            }
        }
        fn remove(&self) -> Result<(), StoreFailure> {
            match self.refuse.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => {
                    *self.value.lock().unwrap() = None;
                    Ok(())
                }
            }
        }
    }

    fn custody(system: &MemoryStore, dir: &std::path::Path) -> KeyCustody {
        KeyCustody::new(Some(Box::new(system.clone())), Box::new(FileStore::new(dir)))
    }

    #[test]
    fn a_working_credential_store_holds_the_key_and_no_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        let custody = custody(&system, dir.path());
        assert_eq!(custody.status(), KeyStatus { key_set: false, storage: None, notice: None });
        let status = custody.store("sk-custody-0001").unwrap();
        assert_eq!(status.storage, Some(Storage::Keychain));
        assert_eq!(system.value.lock().unwrap().as_deref(), Some("sk-custody-0001"));
        assert!(FileStore::new(dir.path()).read().unwrap().is_none());
        custody.clear().unwrap();
        assert!(system.value.lock().unwrap().is_none());
        assert_eq!(custody.key(), None);
    }

    #[test]
    fn a_locked_credential_store_sends_the_key_to_the_file_with_a_notice_and_it_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        *system.refuse.lock().unwrap() = Some(StoreFailure::Unavailable("locked".into()));
        let status = custody(&system, dir.path()).store("sk-custody-0002").unwrap();
        assert_eq!(status, KeyStatus { key_set: true, storage: Some(Storage::File), notice: Some(Notice::KeychainUnavailable) });
        let restarted = custody(&system, dir.path());
        assert_eq!(restarted.key().as_deref(), Some("sk-custody-0002"));
        assert_eq!(restarted.status().notice, Some(Notice::KeychainUnavailable));
        // Unlocked later: the key moves into the credential store and the file goes.
        *system.refuse.lock().unwrap() = None;
        let unlocked = custody(&system, dir.path());
        assert_eq!(unlocked.status(), KeyStatus { key_set: true, storage: Some(Storage::Keychain), notice: None });
        assert!(FileStore::new(dir.path()).read().unwrap().is_none());
    }

    #[test]
    fn a_corrupt_key_file_means_no_key_with_a_notice_and_a_new_key_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = FileStore::new(dir.path());
        std::fs::write(file.path(), "{ broken").unwrap();
        let custody = KeyCustody::new(None, Box::new(FileStore::new(dir.path())));
        assert_eq!(custody.status(), KeyStatus { key_set: false, storage: None, notice: Some(Notice::KeyUnreadable) });
        assert_eq!(custody.store("sk-custody-0003").unwrap().storage, Some(Storage::File));
        assert_eq!(custody.status(), KeyStatus { key_set: true, storage: Some(Storage::File), notice: None });
    }

    #[test]
    fn clearing_survives_a_missing_credential_store_but_not_one_that_keeps_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        *system.refuse.lock().unwrap() = Some(StoreFailure::Unavailable("no service".into()));
        let custody = custody(&system, dir.path());
        custody.store("sk-custody-0004").unwrap();
        custody.clear().unwrap();
        assert_eq!(custody.key(), None);

        let system = MemoryStore::default();
        let custody = super::tests::custody(&system, dir.path());
        custody.store("sk-custody-0005").unwrap();
        *system.refuse.lock().unwrap() = Some(StoreFailure::Unavailable("locked".into()));
        assert!(custody.clear().is_err());
        assert_eq!(custody.key().as_deref(), Some("sk-custody-0005"), "a key that could not be deleted is still reported");
    }

    #[test]
    fn the_redactor_custody_hands_out_removes_the_stored_key_and_only_while_it_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let custody = KeyCustody::new(None, Box::new(FileStore::new(dir.path())));
        let key = "stored-key-without-a-known-shape-0006";
        let text = format!("provider said: {key} is wrong");
        assert_eq!(custody.redactor().scrub(&text), text, "no key stored: nothing to remove");
        custody.store(key).unwrap();
        assert_eq!(custody.redactor().scrub(&text), "provider said: [REDACTED] is wrong");
        custody.clear().unwrap();
        assert_eq!(custody.redactor().scrub(&text), text);
    }
}
