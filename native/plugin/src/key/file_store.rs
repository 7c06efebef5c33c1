//! The fallback key file `<data_dir>/custom-endpoint-api-key.json`: `{ "version": 1, "apiKey": … }`,
//! created owner-only (0600 on Unix, in a 0700 folder) and replaced atomically (a temporary file
//! in the same folder, synced, then renamed over the old one), so a crash never leaves half a key.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{check_api_key, SecretStore, StoreFailure};

/// File name inside the plugin's data folder.
pub const KEY_FILE_NAME: &str = "custom-endpoint-api-key.json";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyFile {
    version: u32,
    api_key: String,
}

/// The key file in one folder.
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// A store in `dir` (created on the first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Where the key is kept.
    pub fn path(&self) -> PathBuf {
        self.dir.join(KEY_FILE_NAME)
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
    fn read(&self) -> Result<Option<String>, StoreFailure> {
        let path = self.path();
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
        if file.version != 1 || check_api_key(&file.api_key).is_err() {
            return Err(StoreFailure::Corrupt("the key file does not hold a usable key".into()));
        }
        Ok(Some(file.api_key))
    }

    fn write(&self, key: &str) -> Result<(), StoreFailure> {
        create_private_dir(&self.dir).map_err(|e| io_failure("create the folder of", &e))?;
        let json = serde_json::to_vec(&KeyFile { version: 1, api_key: key.to_string() })
            .map_err(|_| StoreFailure::Unavailable("could not encode the key file".into()))?;
        let temporary = self.dir.join(format!(".{KEY_FILE_NAME}.{}.tmp", std::process::id()));
        let written = (|| -> std::io::Result<()> {
            let mut options = OpenOptions::new();
            options.write(true).create(true).truncate(true);
            owner_only(&mut options);
            let mut file: File = options.open(&temporary)?;
            file.write_all(&json)?;
            file.sync_all()?;
            fs::rename(&temporary, self.path())
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&temporary);
            return Err(io_failure("write", &e));
        }
        Ok(())
    }

    fn remove(&self) -> Result<(), StoreFailure> {
        match fs::remove_file(self.path()) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_failure("remove", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_removes_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("data"));
        assert_eq!(store.read(), Ok(None));
        store.write("sk-file-store-0001").unwrap();
        assert_eq!(store.read(), Ok(Some("sk-file-store-0001".into())));
        store.write("sk-file-store-0002").unwrap();
        assert_eq!(store.read(), Ok(Some("sk-file-store-0002".into())));
        assert_eq!(fs::read_dir(dir.path().join("data")).unwrap().count(), 1, "no temporary file is left");
        store.remove().unwrap();
        assert_eq!(store.read(), Ok(None));
        store.remove().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_file_and_its_folder_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("data"));
        store.write("sk-file-store-0003").unwrap();
        assert_eq!(fs::metadata(store.path()).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::metadata(dir.path().join("data")).unwrap().permissions().mode() & 0o777, 0o700);
        fs::set_permissions(store.path(), fs::Permissions::from_mode(0o644)).unwrap();
        assert!(store.read().unwrap().is_some());
        assert_eq!(fs::metadata(store.path()).unwrap().permissions().mode() & 0o777, 0o600, "narrowed again");
    }

    #[test]
    fn a_corrupt_file_is_reported_as_corrupt_without_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        for content in ["not json sk-leaky-0001", "{\"version\":1,\"apiKey\":\"has space\"}", "{\"version\":2,\"apiKey\":\"sk-x\"}", "\u{fffd}\u{0}"] {
            fs::write(store.path(), content).unwrap();
            match store.read() {
                Err(StoreFailure::Corrupt(why)) => assert!(!why.contains("leaky"), "{why}"),
                other => panic!("{content:?} → {other:?}"),
            }
        }
    }
}
