//! `save_history_archive`: writes the history export (a ZIP the panel built) to the path the
//! host's save dialog returned. Only a ZIP is ever written: the bytes must start like one, the
//! path must be absolute, without `..`, in an existing folder, and end in `.zip`. The path stays
//! out of the log.

use std::path::{Component, Path};

use base64::Engine as _;
use hf_plugin_api::{LogLevel, PluginContext, PluginError};
use serde::Deserialize;
use serde_json::{json, Value};

/// The panel refuses to build a larger export; the backend holds the same line.
pub const MAX_ARCHIVE_BYTES: usize = 256 * 1024 * 1024;

/// `save_history_archive` arguments.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveArchiveArgs {
    pub path: String,
    /// The ZIP's bytes, base64 without a `data:` prefix.
    pub base64: String,
}

/// A local file header, or the end record of an empty archive.
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Checks the request and writes the archive; the number of bytes written, or `(code, message)`.
pub fn write_archive(args: &SaveArchiveArgs) -> Result<usize, (&'static str, String)> {
    let invalid = |message: &str| ("invalid_request", message.to_string());
    let path = Path::new(&args.path);
    if !path.is_absolute() || path.components().any(|part| matches!(part, Component::ParentDir)) {
        return Err(invalid("the path must be absolute and without .."));
    }
    if !path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        return Err(invalid("a history export needs the .zip extension"));
    }
    if args.base64.len() > MAX_ARCHIVE_BYTES / 3 * 4 + 4 {
        return Err(invalid(&format!("the export is larger than {} MB", MAX_ARCHIVE_BYTES / (1024 * 1024))));
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(args.base64.trim()).map_err(|_| invalid("the export is not valid base64"))?;
    if !is_zip(&bytes) {
        return Err(invalid("only a ZIP archive is saved"));
    }
    if !path.parent().is_some_and(Path::is_dir) {
        return Err(invalid("the folder does not exist"));
    }
    std::fs::write(path, &bytes).map_err(|error| ("write_failed", super::save::io_reason(&error)))?;
    Ok(bytes.len())
}

/// The IPC command: `{ path, base64 }` → `{ ok: true, bytes }` | `{ ok: false, error: { code, message } }`.
pub(super) fn save_history_archive(_shared: &super::Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let args: SaveArchiveArgs = serde_json::from_value(args)
        .map_err(|_| PluginError::Serialization("save_history_archive: expected { path: string, base64: string }".into()))?;
    match write_archive(&args) {
        Ok(bytes) => {
            ctx.log(LogLevel::Info, &format!("history archive saved bytes={bytes}"));
            Ok(json!({ "ok": true, "bytes": bytes }))
        }
        Err((code, message)) => {
            ctx.log(LogLevel::Warn, &format!("history archive not saved code={code} reason={message}"));
            Ok(json!({ "ok": false, "error": { "code": code, "message": message } }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn save(path: &Path, bytes: &[u8]) -> Result<usize, (&'static str, String)> {
        write_archive(&SaveArchiveArgs { path: path.display().to_string(), base64: b64(bytes) })
    }

    #[test]
    fn writes_a_zip_to_a_zip_path_and_refuses_anything_else() {
        let dir = std::env::temp_dir().join(format!("hfmig-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let zip = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(save(&dir.join("history.zip"), zip), Ok(zip.len()));
        assert_eq!(std::fs::read(dir.join("history.zip")).unwrap(), zip);
        let refused = |path: &Path, bytes: &[u8]| save(path, bytes).unwrap_err().0;
        assert_eq!(refused(&dir.join("history.png"), zip), "invalid_request");
        assert_eq!(refused(&dir.join("script.zip"), b"#!/bin/sh\n"), "invalid_request");
        assert_eq!(refused(Path::new("relative.zip"), zip), "invalid_request");
        assert_eq!(refused(&dir.join("../escape.zip"), zip), "invalid_request");
        assert_eq!(refused(&dir.join("missing/history.zip"), zip), "invalid_request");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "only the ZIP was written");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
