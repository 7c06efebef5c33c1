//! `save_image`: writes a result image the user chose to keep to the path the host's save dialog
//! returned (the dialog only answers a path; the web view cannot write files).
//!
//! Only an image is ever written: the bytes must start like a PNG, JPEG or WebP file, the path must
//! be absolute, without `..`, in an existing folder, and end in an extension of that same type.
//! So a caller cannot use the command to drop any other kind of file. The path stays out of the
//! log (it holds the user's name on most systems).

use std::path::{Component, Path};

use base64::Engine as _;
use hf_plugin_api::{LogLevel, PluginContext, PluginError};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::wire::image_kind::ImageKind;

/// Larger than any image the image APIs return (4K PNG ≈ 25 MB).
pub const MAX_IMAGE_BYTES: usize = 64 * 1024 * 1024;

/// `save_image` arguments.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveImageArgs {
    /// Where to write, as the host's save dialog returned it.
    pub path: String,
    /// The image bytes, base64 without a `data:` prefix.
    pub base64: String,
}

impl std::fmt::Debug for SaveImageArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SaveImageArgs {{ path: [{} chars], base64: [{} chars] }}", self.path.len(), self.base64.len())
    }
}

/// Why an image was not saved: `invalid_request` (what was asked is not allowed) or
/// `write_failed` (the file system refused), with a message that never holds the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRefused {
    code: &'static str,
    message: String,
}

impl SaveRefused {
    fn invalid(message: impl Into<String>) -> Self {
        Self { code: "invalid_request", message: message.into() }
    }

    fn to_json(&self) -> Value {
        json!({ "code": self.code, "message": self.message })
    }
}

/// Checks the request and writes the file; the number of bytes written.
pub fn write_image(args: &SaveImageArgs) -> Result<(usize, ImageKind), SaveRefused> {
    let path = Path::new(&args.path);
    if !path.is_absolute() || path.components().any(|part| matches!(part, Component::ParentDir)) {
        return Err(SaveRefused::invalid("the path must be absolute and without .."));
    }
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if args.base64.len() > MAX_IMAGE_BYTES / 3 * 4 + 4 {
        return Err(SaveRefused::invalid(format!("the image is larger than {} MB", MAX_IMAGE_BYTES / (1024 * 1024))));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(args.base64.trim())
        .map_err(|_| SaveRefused::invalid("the image is not valid base64"))?;
    let kind = ImageKind::sniff(&bytes).ok_or_else(|| SaveRefused::invalid("only PNG, JPEG and WebP images are saved"))?;
    if !kind.takes_extension(&extension) {
        return Err(SaveRefused::invalid(format!("a {} image needs a matching file extension", kind.name())));
    }
    if !path.parent().is_some_and(Path::is_dir) {
        return Err(SaveRefused::invalid("the folder does not exist"));
    }
    std::fs::write(path, &bytes).map_err(|error| SaveRefused { code: "write_failed", message: io_reason(&error) })?;
    Ok((bytes.len(), kind))
}

/// The OS error without the path it was about.
pub(super) fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::StorageFull => "the disk is full".into(),
        std::io::ErrorKind::IsADirectory => "the path is a folder".into(),
        kind => format!("the file could not be written ({kind})"),
    }
}

/// The IPC command: `{ path, base64 }` → `{ ok: true, bytes }` | `{ ok: false, error: { code, message } }`.
pub(super) fn save_image(_shared: &super::Shared, args: Value, ctx: &dyn PluginContext) -> Result<Value, PluginError> {
    let args: SaveImageArgs = serde_json::from_value(args)
        .map_err(|_| PluginError::Serialization("save_image: expected { path: string, base64: string }".into()))?;
    match write_image(&args) {
        Ok((bytes, kind)) => {
            ctx.log(LogLevel::Info, &format!("image saved type={} bytes={bytes}", kind.name()));
            Ok(json!({ "ok": true, "bytes": bytes }))
        }
        Err(refused) => {
            ctx.log(LogLevel::Warn, &format!("image not saved code={} reason={}", refused.code, refused.message));
            Ok(json!({ "ok": false, "error": refused.to_json() }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
    const WEBP: &[u8] = b"RIFF\x10\0\0\0WEBPVP8 ";

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hfmig-save-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn save(path: &Path, bytes: &[u8]) -> Result<(usize, ImageKind), SaveRefused> {
        write_image(&SaveImageArgs { path: path.display().to_string(), base64: b64(bytes) })
    }

    #[test]
    fn writes_each_image_kind_to_a_matching_extension() {
        let dir = scratch("kinds");
        for (name, bytes, kind) in [("a.png", PNG, ImageKind::Png), ("b.JPG", JPEG, ImageKind::Jpeg), ("c.jpeg", JPEG, ImageKind::Jpeg), ("d.webp", WEBP, ImageKind::Webp)] {
            let path = dir.join(name);
            assert_eq!(save(&path, bytes), Ok((bytes.len(), kind)), "{name}");
            assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn refuses_anything_but_an_image_to_an_absolute_path_of_its_type() {
        let dir = scratch("refusals");
        let refused = |path: &Path, bytes: &[u8]| save(path, bytes).unwrap_err().code;
        assert_eq!(refused(Path::new("relative.png"), PNG), "invalid_request");
        assert_eq!(refused(&dir.join("../escape.png"), PNG), "invalid_request");
        assert_eq!(refused(&dir.join("script.sh"), PNG), "invalid_request");
        assert_eq!(refused(&dir.join("photo.png"), JPEG), "invalid_request");
        assert_eq!(refused(&dir.join("notes.png"), b"#!/bin/sh\necho hi\n"), "invalid_request");
        assert_eq!(refused(&dir.join("missing-folder/a.png"), PNG), "invalid_request");
        let bad_base64 = write_image(&SaveImageArgs { path: dir.join("x.png").display().to_string(), base64: "not base64!".into() });
        assert_eq!(bad_base64.unwrap_err().message, "the image is not valid base64");
        assert!(std::fs::read_dir(&dir).unwrap().next().is_none(), "nothing was written");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_system_refusal_names_the_reason_not_the_path() {
        let dir = scratch("folder-as-file");
        let folder = dir.join("taken.png");
        std::fs::create_dir_all(&folder).unwrap();
        let refused = save(&folder, PNG).unwrap_err();
        assert_eq!(refused.code, "write_failed");
        assert!(!refused.message.contains("taken"), "{}", refused.message);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
