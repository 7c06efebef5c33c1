//! The fallback key files `<data_dir>/<entry>.json`: `{ "version": 2, "apiKey": …, "origin": … }`
//! for a profile's key (`custom-endpoint-api-key.<profile id>.json`), `{ "version": 1, "apiKey": … }`
//! for the single key earlier versions kept (`custom-endpoint-api-key.json`). Each is created
//! owner-only (0600 on Unix, in a 0700 folder) and replaced atomically (a temporary file in the
//! same folder, synced, then renamed over the old one), so a crash never leaves half a key.
//!
//! Beside them, `custom-endpoint-keys.json` lists the profiles that have a key wherever it is kept
//! (the credential store cannot be listed), so every stored key can be kept out of extra headers
//! and scrubbed from what leaves the crate. It holds profile ids only.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{check_api_key, SecretStore, StoreFailure, StoredKey};

/// The file listing the profiles that have a key.
pub const INDEX_FILE_NAME: &str = "custom-endpoint-keys.json";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyFile {
    version: u32,
    api_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFile {
    version: u32,
    profiles: BTreeSet<String>,
}

/// The key files in one folder.
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// A store in `dir` (created on the first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Where `entry` is kept.
    pub fn path(&self, entry: &str) -> PathBuf {
        self.dir.join(format!("{entry}.json"))
    }

    /// The profiles listed as having a key (none when the list is missing or unreadable).
    pub fn listed_profiles(&self) -> BTreeSet<String> {
        fs::read(self.dir.join(INDEX_FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<IndexFile>(&bytes).ok())
            .map(|index| index.profiles)
            .unwrap_or_default()
    }

    /// Replaces the list of profiles that have a key.
    pub fn list_profiles(&self, profiles: &BTreeSet<String>) -> Result<(), StoreFailure> {
        let json = serde_json::to_vec(&IndexFile { version: 1, profiles: profiles.clone() })
            .map_err(|_| StoreFailure::Unavailable("could not encode the key list".into()))?;
        self.write_private(INDEX_FILE_NAME, &json)
    }

    /// Writes `name` owner-only and atomically.
    fn write_private(&self, name: &str, bytes: &[u8]) -> Result<(), StoreFailure> {
        create_private_dir(&self.dir).map_err(|e| io_failure("create the folder of", &e))?;
        let temporary = self.dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| -> std::io::Result<()> {
            let mut options = OpenOptions::new();
            options.write(true).create(true).truncate(true);
            owner_only(&mut options);
            let mut file: File = options.open(&temporary)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temporary, self.dir.join(name))
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&temporary);
            return Err(io_failure("write", &e));
        }
        Ok(())
    }
}

fn io_failure(what: &str, error: &std::io::Error) -> StoreFailure {
    // The error's kind, never a path (it holds the user name) or content.
    StoreFailure::Unavailable(format!("could not {what} the key file ({:?})", error.kind()))
}

#[cfg(unix)]
fn owner_only(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}
#[cfg(not(unix))]
fn owner_only(_options: &mut OpenOptions) {}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}
#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// A file someone widened to group/other access is narrowed again before it is read.
#[cfg(unix)]
fn narrow_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
#[cfg(not(unix))]
fn narrow_permissions(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The largest key file read: a 4096-character key and its JSON frame fit easily.
const MAX_FILE_BYTES: u64 = 16 * 1024;

impl SecretStore for FileStore {
    fn read(&self, entry: &str) -> Result<Option<StoredKey>, StoreFailure> {
        let path = self.path(entry);
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_failure("read", &e)),
        };
        if !metadata.is_file() || metadata.len() > MAX_FILE_BYTES {
            return Err(StoreFailure::Corrupt("the key file is not a small regular file".into()));
        }
        narrow_permissions(&path).map_err(|e| io_failure("protect", &e))?;
        let bytes = fs::read(&path).map_err(|e| io_failure("read", &e))?;
        let file: KeyFile = serde_json::from_slice(&bytes)
            .map_err(|_| StoreFailure::Corrupt("the key file is not the expected JSON".into()))?;
        // Version 1 has no origin, version 2 always one.
        if file.version != 1 + u32::from(file.origin.is_some()) || check_api_key(&file.api_key).is_err() {
            return Err(StoreFailure::Corrupt("the key file does not hold a usable key".into()));
        }
        Ok(Some(StoredKey { api_key: file.api_key, origin: file.origin }))
    }

    fn write(&self, entry: &str, key: &StoredKey) -> Result<(), StoreFailure> {
        let version = 1 + u32::from(key.origin.is_some());
        let json = serde_json::to_vec(&KeyFile { version, api_key: key.api_key.clone(), origin: key.origin.clone() })
            .map_err(|_| StoreFailure::Unavailable("could not encode the key file".into()))?;
        self.write_private(&format!("{entry}.json"), &json)
    }

    fn remove(&self, entry: &str) -> Result<(), StoreFailure> {
        match fs::remove_file(self.path(entry)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_failure("remove", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = "custom-endpoint-api-key.default";

    fn bound(key: &str, origin: &str) -> StoredKey {
        StoredKey { api_key: key.into(), origin: Some(origin.into()) }
    }

    #[test]
    fn round_trips_and_removes_a_key_per_entry() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("data"));
        assert_eq!(store.read(ENTRY), Ok(None));
        store.write(ENTRY, &bound("sk-file-store-0001", "https://a.example")).unwrap();
        assert_eq!(store.read(ENTRY), Ok(Some(bound("sk-file-store-0001", "https://a.example"))));
        store.write(ENTRY, &bound("sk-file-store-0002", "https://b.example")).unwrap();
        store.write("custom-endpoint-api-key", &StoredKey { api_key: "sk-legacy-0001".into(), origin: None }).unwrap();
        assert_eq!(store.read(ENTRY), Ok(Some(bound("sk-file-store-0002", "https://b.example"))));
        assert_eq!(store.read("custom-endpoint-api-key").unwrap().unwrap().origin, None);
        assert_eq!(fs::read_dir(dir.path().join("data")).unwrap().count(), 2, "no temporary file is left");
        store.remove(ENTRY).unwrap();
        assert_eq!(store.read(ENTRY), Ok(None));
        store.remove(ENTRY).unwrap();
    }

    #[test]
    fn an_earlier_versions_key_file_is_read_as_the_legacy_entry() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        fs::write(dir.path().join("custom-endpoint-api-key.json"), r#"{"version":1,"apiKey":"sk-earlier-0001"}"#).unwrap();
        assert_eq!(store.read("custom-endpoint-api-key"), Ok(Some(StoredKey { api_key: "sk-earlier-0001".into(), origin: None })));
    }

    #[test]
    fn the_list_of_profiles_with_a_key_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("data"));
        assert!(store.listed_profiles().is_empty());
        let profiles: BTreeSet<String> = ["default".to_string(), "work".to_string()].into();
        store.list_profiles(&profiles).unwrap();
        assert_eq!(store.listed_profiles(), profiles);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_folder_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("data"));
        store.write(ENTRY, &bound("sk-file-store-0003", "https://a.example")).unwrap();
        assert_eq!(fs::metadata(store.path(ENTRY)).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(dir.path().join("data")).unwrap().permissions().mode() & 0o777, 0o700);
        fs::set_permissions(store.path(ENTRY), fs::Permissions::from_mode(0o644)).unwrap();
        assert!(store.read(ENTRY).unwrap().is_some());
        assert_eq!(fs::metadata(store.path(ENTRY)).unwrap().permissions().mode() & 0o777, 0o600, "narrowed again");
    }

    #[test]
    fn a_corrupt_file_is_reported_as_corrupt_without_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        for content in ["not json sk-leaky-0001", "{\"version\":1,\"apiKey\":\"has space\"}", "{\"version\":2,\"apiKey\":\"sk-x\"}", "{\"version\":1,\"apiKey\":\"sk-leaky-0001\",\"origin\":\"https://a\"}", "\u{fffd}\u{0}"] {
            fs::write(store.path(ENTRY), content).unwrap();
            match store.read(ENTRY) {
                Err(StoreFailure::Corrupt(why)) => assert!(!why.contains("leaky"), "{why}"),
                other => panic!("{content:?} → {other:?}"),
            }
        }
    }
}
