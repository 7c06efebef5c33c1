//! Which store holds each profile's key, and which origin may receive it. The OS credential store
//! comes first; when it is missing, locked or refuses, the key goes to the owner-only file
//! instead (with a notice), so a key is never lost and never put in the host settings. A key is
//! read once and then kept in memory: it changes only through this type, which hands it out for
//! a call to the origin it was saved for ([`KeyCustody::for_call`]) and inside a [`Redactor`]
//! that removes every stored key from whatever leaves the crate.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

use super::file_store::FileStore;
use super::{profile_entry, Origin, ProfileId, SecretStore, StoreFailure, StoredKey, LEGACY_ENTRY};
use crate::error::{Error, ErrorCode};
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

/// What the panel may know: whether a key is set, where, and a notice. Never the key, nor the
/// origin it is bound to.
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
    key: Option<StoredKey>,
    storage: Option<Storage>,
    notice: Option<Notice>,
}

impl Held {
    fn status(&self) -> KeyStatus {
        KeyStatus { key_set: self.key.is_some(), storage: self.storage, notice: self.notice }
    }
}

#[derive(Default)]
struct State {
    /// Entries read so far, by entry name.
    held: HashMap<String, Held>,
    /// Every stored entry has been read (for the extra-header check and redaction).
    all_read: bool,
}

/// The keys' custodian, shared by every command.
pub struct KeyCustody {
    system: Option<Box<dyn SecretStore>>,
    file: FileStore,
    state: Mutex<State>,
}

impl std::fmt::Debug for KeyCustody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyCustody {{ system_store: {}, keys: [REDACTED] }}", self.system.is_some())
    }
}

/// `key_origin_mismatch`: the profile's key was saved for another origin; nothing was sent. The
/// message names neither origin.
pub fn origin_mismatch() -> Error {
    Error::new(
        ErrorCode::KeyOriginMismatch,
        "The API key of this profile was saved for another address; enter the key again for this base URL. Nothing was sent.",
    )
}

impl KeyCustody {
    /// `system` (the OS credential store, `None` to use the files only) with `file` as fallback.
    pub fn new(system: Option<Box<dyn SecretStore>>, file: FileStore) -> Self {
        Self { system, file, state: Mutex::new(State::default()) }
    }

    fn with_entry<T>(&self, entry: &str, f: impl FnOnce(&mut Held) -> T) -> T {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if !state.held.contains_key(entry) {
            let loaded = self.load(entry);
            state.held.insert(entry.to_string(), loaded);
        }
        f(state.held.get_mut(entry).expect("just loaded"))
    }

    fn load(&self, entry: &str) -> Held {
        let mut notice = None;
        let mut system_usable = false;
        if let Some(system) = &self.system {
            match system.read(entry) {
                Ok(Some(key)) => return Held { key: Some(key), storage: Some(Storage::Keychain), notice: None },
                Ok(None) => system_usable = true,
                Err(StoreFailure::Unavailable(_)) => notice = Some(Notice::KeychainUnavailable),
                Err(StoreFailure::Corrupt(_)) => notice = Some(Notice::KeyUnreadable),
            }
        }
        match self.file.read(entry) {
            Ok(Some(key)) => {
                // Kept in the file while the credential store was unavailable: move it back.
                if system_usable && self.system.as_ref().is_some_and(|s| s.write(entry, &key).is_ok()) {
                    let _ = self.file.remove(entry);
                    return Held { key: Some(key), storage: Some(Storage::Keychain), notice: None };
                }
                Held { key: Some(key), storage: Some(Storage::File), notice }
            }
            Ok(None) => Held { key: None, storage: None, notice },
            Err(_) => Held { key: None, storage: None, notice: Some(Notice::KeyUnreadable) },
        }
    }

    /// Stores `key` under `entry`: in the credential store if it takes it (then no file copy
    /// remains), else in the file.
    fn store_entry(&self, entry: &str, key: StoredKey) -> Result<KeyStatus, StoreFailure> {
        self.with_entry(entry, |held| {
            let mut notice = None;
            if let Some(system) = &self.system {
                match system.write(entry, &key) {
                    Ok(()) => {
                        self.file.remove(entry)?;
                        *held = Held { key: Some(key), storage: Some(Storage::Keychain), notice: None };
                        return Ok(held.status());
                    }
                    Err(_) => notice = Some(Notice::KeychainUnavailable),
                }
            }
            self.file.write(entry, &key)?;
            *held = Held { key: Some(key), storage: Some(Storage::File), notice };
            Ok(held.status())
        })
    }

    /// Removes `entry` from both stores. A credential store that is not there at all holds
    /// nothing; one that holds the key and refuses to delete it is a failure.
    fn clear_entry(&self, entry: &str) -> Result<(), StoreFailure> {
        self.with_entry(entry, |held| {
            if let Some(system) = &self.system {
                if let Err(failure) = system.remove(entry) {
                    if held.storage == Some(Storage::Keychain) {
                        return Err(failure);
                    }
                }
            }
            self.file.remove(entry)?;
            *held = Held::default();
            Ok(())
        })
    }

    /// Adds or drops `profile` in the list of profiles with a key. The list only widens what is
    /// kept out of extra headers and logs, so a list that cannot be written fails nothing.
    fn list(&self, profile: &ProfileId, has_key: bool) {
        let mut profiles = self.file.listed_profiles();
        let changed = if has_key { profiles.insert(profile.as_str().to_string()) } else { profiles.remove(profile.as_str()) };
        if changed {
            let _ = self.file.list_profiles(&profiles);
        }
    }

    /// Whether `profile` has a key, where, and any notice.
    pub fn status(&self, profile: &ProfileId) -> KeyStatus {
        self.with_entry(&profile_entry(profile), |held| held.status())
    }

    /// Stores `key` for `profile`, bound to `origin`. Fails only when no store can hold it.
    pub fn store(&self, profile: &ProfileId, origin: &Origin, key: &str) -> Result<KeyStatus, StoreFailure> {
        let status = self.store_entry(&profile_entry(profile), StoredKey { api_key: key.to_string(), origin: Some(origin.as_str().to_string()) })?;
        self.list(profile, true);
        Ok(status)
    }

    /// Removes `profile`'s key from both stores.
    pub fn clear(&self, profile: &ProfileId) -> Result<KeyStatus, StoreFailure> {
        self.clear_entry(&profile_entry(profile))?;
        self.list(profile, false);
        Ok(self.status(profile))
    }

    /// The key a call of `profile` to `origin` sends: `None` when the profile has no key, the key
    /// when it was saved for this origin, and `key_origin_mismatch` for any other origin.
    pub fn for_call(&self, profile: &ProfileId, origin: &Origin) -> Result<Option<String>, Error> {
        self.with_entry(&profile_entry(profile), |held| match &held.key {
            None => Ok(None),
            Some(stored) if stored.origin.as_deref() == Some(origin.as_str()) => Ok(Some(stored.api_key.clone())),
            Some(_) => Err(origin_mismatch()),
        })
    }

    /// Whether the single key of earlier versions is still stored.
    pub fn legacy_key_set(&self) -> bool {
        self.with_entry(LEGACY_ENTRY, |held| held.key.is_some())
    }

    /// Stores a key found where earlier versions kept it, as the legacy entry (bound to nothing
    /// until [`KeyCustody::adopt_legacy`] binds it).
    pub fn store_legacy(&self, key: &str) -> Result<KeyStatus, StoreFailure> {
        self.store_entry(LEGACY_ENTRY, StoredKey { api_key: key.to_string(), origin: None })
    }

    /// Moves the legacy key to `profile`, bound to `origin`, and deletes the legacy entry.
    /// `None` when there is no legacy key, so a second call never rebinds anything. A key the
    /// profile already has is newer and is kept; the legacy copy is deleted all the same.
    pub fn adopt_legacy(&self, profile: &ProfileId, origin: &Origin) -> Result<Option<KeyStatus>, StoreFailure> {
        let Some(legacy) = self.with_entry(LEGACY_ENTRY, |held| held.key.clone()) else { return Ok(None) };
        let adopted = if self.status(profile).key_set { None } else { Some(self.store(profile, origin, &legacy.api_key)?) };
        self.clear_entry(LEGACY_ENTRY)?;
        Ok(adopted)
    }

    /// Every stored key: each listed profile's and the legacy one.
    pub fn stored_keys(&self) -> Vec<String> {
        let all_read = self.state.lock().unwrap_or_else(|p| p.into_inner()).all_read;
        if !all_read {
            for profile in self.file.listed_profiles() {
                if let Ok(profile) = ProfileId::parse(&profile) {
                    self.with_entry(&profile_entry(&profile), |_| ());
                }
            }
            self.with_entry(LEGACY_ENTRY, |_| ());
            self.state.lock().unwrap_or_else(|p| p.into_inner()).all_read = true;
        }
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let keys: BTreeSet<String> = state.held.values().filter_map(|held| held.key.as_ref().map(|k| k.api_key.clone())).collect();
        keys.into_iter().collect()
    }

    /// A redactor that removes every stored key (and nothing more when none is stored).
    pub fn redactor(&self) -> Redactor {
        Redactor::new(self.stored_keys())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::key::file_store::FileStore;

    /// A credential store double: a boundary this crate does not own (the OS service).
    #[derive(Clone, Default)]
    pub struct MemoryStore {
        pub values: Arc<Mutex<HashMap<String, StoredKey>>>,
        pub refuse: Arc<Mutex<Option<StoreFailure>>>,
    }

    impl MemoryStore {
        pub fn key(&self, entry: &str) -> Option<String> {
            self.values.lock().unwrap().get(entry).map(|k| k.api_key.clone())
        }
    }

    impl SecretStore for MemoryStore {
        fn read(&self, entry: &str) -> Result<Option<StoredKey>, StoreFailure> {
            match self.refuse.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => Ok(self.values.lock().unwrap().get(entry).cloned()),
            }
        }
        fn write(&self, entry: &str, key: &StoredKey) -> Result<(), StoreFailure> {
            match self.refuse.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => {
                    self.values.lock().unwrap().insert(entry.to_string(), key.clone());
                    Ok(())
                }
            }
        }
        fn remove(&self, entry: &str) -> Result<(), StoreFailure> {
            match self.refuse.lock().unwrap().clone() {
                Some(failure) => Err(failure),
                None => {
                    self.values.lock().unwrap().remove(entry);
                    Ok(())
                }
            }
        }
    }

    const ENTRY: &str = "custom-endpoint-api-key.default";

    fn custody(system: &MemoryStore, dir: &std::path::Path) -> KeyCustody {
        KeyCustody::new(Some(Box::new(system.clone())), FileStore::new(dir))
    }

    fn id(text: &str) -> ProfileId {
        ProfileId::parse(text).unwrap()
    }

    fn origin(base: &str) -> Origin {
        Origin::of_base_url(base).unwrap()
    }

    #[test]
    fn a_working_credential_store_holds_the_key_and_no_file_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        let custody = custody(&system, dir.path());
        assert_eq!(custody.status(&id("default")), KeyStatus { key_set: false, storage: None, notice: None });
        let status = custody.store(&id("default"), &origin("https://a.example"), "sk-custody-0001").unwrap();
        assert_eq!(status.storage, Some(Storage::Keychain));
        assert_eq!(system.key(ENTRY).as_deref(), Some("sk-custody-0001"));
        assert!(FileStore::new(dir.path()).read(ENTRY).unwrap().is_none());
        custody.clear(&id("default")).unwrap();
        assert!(system.key(ENTRY).is_none());
        assert_eq!(custody.for_call(&id("default"), &origin("https://a.example")), Ok(None));
    }

    #[test]
    fn a_key_goes_only_to_the_origin_it_was_saved_for() {
        let dir = tempfile::tempdir().unwrap();
        let custody = custody(&MemoryStore::default(), dir.path());
        custody.store(&id("work"), &origin("https://a.example/v1"), "sk-custody-bound-01").unwrap();
        assert_eq!(custody.for_call(&id("work"), &origin("https://A.example:443/openai/v1")), Ok(Some("sk-custody-bound-01".into())));
        for elsewhere in ["https://b.example/v1", "http://a.example/v1", "https://a.example:8443/v1", "https://a.example.b.example/v1"] {
            let refused = custody.for_call(&id("work"), &origin(elsewhere)).unwrap_err();
            assert_eq!(refused.code(), ErrorCode::KeyOriginMismatch, "{elsewhere}");
            assert_eq!((refused.sent(), refused.may_have_run()), (false, false));
            assert!(!refused.details().message.contains("a.example"), "names no origin");
        }
        assert_eq!(custody.for_call(&id("other"), &origin("https://a.example/v1")), Ok(None), "another profile has no key");
        // Saving again for the new origin rebinds the key.
        custody.store(&id("work"), &origin("https://b.example/v1"), "sk-custody-bound-02").unwrap();
        assert_eq!(custody.for_call(&id("work"), &origin("https://b.example")), Ok(Some("sk-custody-bound-02".into())));
        assert!(custody.for_call(&id("work"), &origin("https://a.example")).is_err());
    }

    #[test]
    fn a_locked_credential_store_sends_the_key_to_the_file_with_a_notice_and_it_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        *system.refuse.lock().unwrap() = Some(StoreFailure::Unavailable("locked".into()));
        let status = custody(&system, dir.path()).store(&id("default"), &origin("https://a.example"), "sk-custody-0002").unwrap();
        assert_eq!(status, KeyStatus { key_set: true, storage: Some(Storage::File), notice: Some(Notice::KeychainUnavailable) });
        let restarted = custody(&system, dir.path());
        assert_eq!(restarted.for_call(&id("default"), &origin("https://a.example")), Ok(Some("sk-custody-0002".into())));
        assert_eq!(restarted.status(&id("default")).notice, Some(Notice::KeychainUnavailable));
        // Unlocked later: the key moves into the credential store, still bound, and the file goes.
        *system.refuse.lock().unwrap() = None;
        let unlocked = custody(&system, dir.path());
        assert_eq!(unlocked.status(&id("default")), KeyStatus { key_set: true, storage: Some(Storage::Keychain), notice: None });
        assert!(FileStore::new(dir.path()).read(ENTRY).unwrap().is_none());
        assert!(unlocked.for_call(&id("default"), &origin("https://b.example")).is_err());
    }

    #[test]
    fn a_corrupt_key_file_means_no_key_with_a_notice_and_a_new_key_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = FileStore::new(dir.path());
        std::fs::write(file.path(ENTRY), "{ broken").unwrap();
        let custody = KeyCustody::new(None, FileStore::new(dir.path()));
        assert_eq!(custody.status(&id("default")), KeyStatus { key_set: false, storage: None, notice: Some(Notice::KeyUnreadable) });
        assert_eq!(custody.store(&id("default"), &origin("https://a.example"), "sk-custody-0003").unwrap().storage, Some(Storage::File));
        assert_eq!(custody.status(&id("default")), KeyStatus { key_set: true, storage: Some(Storage::File), notice: None });
    }

    #[test]
    fn clearing_survives_a_missing_credential_store_but_not_one_that_keeps_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        *system.refuse.lock().unwrap() = Some(StoreFailure::Unavailable("no service".into()));
        let custody = custody(&system, dir.path());
        custody.store(&id("default"), &origin("https://a.example"), "sk-custody-0004").unwrap();
        custody.clear(&id("default")).unwrap();
        assert!(!custody.status(&id("default")).key_set);

        let system = MemoryStore::default();
        let custody = super::tests::custody(&system, dir.path());
        custody.store(&id("default"), &origin("https://a.example"), "sk-custody-0005").unwrap();
        *system.refuse.lock().unwrap() = Some(StoreFailure::Unavailable("locked".into()));
        assert!(custody.clear(&id("default")).is_err());
        assert!(custody.status(&id("default")).key_set, "a key that could not be deleted is still reported");
    }

    #[test]
    fn the_legacy_key_is_adopted_once_by_one_profile_and_bound_to_its_origin() {
        let dir = tempfile::tempdir().unwrap();
        let system = MemoryStore::default();
        let custody = custody(&system, dir.path());
        assert_eq!(custody.adopt_legacy(&id("default"), &origin("https://a.example")), Ok(None), "nothing to adopt");
        custody.store_legacy("sk-custody-legacy-06").unwrap();
        let adopted = custody.adopt_legacy(&id("default"), &origin("https://a.example/v1")).unwrap().unwrap();
        assert_eq!(adopted.storage, Some(Storage::Keychain));
        assert!(system.key(LEGACY_ENTRY).is_none(), "the legacy entry is deleted");
        assert_eq!(custody.for_call(&id("default"), &origin("https://a.example")), Ok(Some("sk-custody-legacy-06".into())));
        // A second call finds nothing and rebinds nothing.
        assert_eq!(custody.adopt_legacy(&id("default"), &origin("https://b.example")), Ok(None));
        assert!(custody.for_call(&id("default"), &origin("https://b.example")).is_err());
        // A profile that already has a key keeps it; the old copy still goes.
        custody.store_legacy("sk-custody-legacy-07").unwrap();
        assert_eq!(custody.adopt_legacy(&id("default"), &origin("https://b.example")), Ok(None));
        assert!(!custody.legacy_key_set());
        assert_eq!(custody.for_call(&id("default"), &origin("https://a.example")), Ok(Some("sk-custody-legacy-06".into())));
    }

    #[test]
    fn the_redactor_removes_every_stored_key_even_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let custody = KeyCustody::new(None, FileStore::new(dir.path()));
        let (one, two) = ("stored-key-without-a-known-shape-0006", "stored-key-without-a-known-shape-0007");
        let text = format!("provider said: {one} and {two}");
        assert_eq!(custody.redactor().scrub(&text), text, "no key stored: nothing to remove");
        custody.store(&id("one"), &origin("https://a.example"), one).unwrap();
        custody.store(&id("two"), &origin("https://b.example"), two).unwrap();
        assert_eq!(custody.redactor().scrub(&text), "provider said: [REDACTED] and [REDACTED]");
        let restarted = KeyCustody::new(None, FileStore::new(dir.path()));
        assert_eq!(restarted.redactor().scrub(&text), "provider said: [REDACTED] and [REDACTED]");
        restarted.clear(&id("one")).unwrap();
        assert_eq!(restarted.redactor().scrub(&text), format!("provider said: {one} and [REDACTED]"));
    }
}
