//! Judges a plugin `manifest.json` the way the host's install step reads it, plus the few rules of
//! this project that neither the host's crate types nor the official packer (`hf-pack check`) apply.
//!
//! - [`crate_problems`]: the crate `haloforge-plugin-api` 0.2.16 itself — its serde type
//!   [`PluginManifest`] (what the host deserializes from a package) and its permission validator
//!   [`validate_manifest_permission_json`]. Nothing here re-states a rule of the crate.
//! - [`own_problems`]: what the crate only documents and the packer does not check the same way on
//!   every OS: a Level 0 `module_id` must not be one of the host's modules, and every path the host
//!   resolves inside the package must be relative and inside it on every OS.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;

use hf_plugin_api::permissions::validate_manifest_permission_json;
use hf_plugin_api::PluginManifest;
use serde_json::Value;

/// One problem of a manifest: where it is (`integration.level0.module_id`, `permissions.2`, or
/// `manifest` for the whole document) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path into the manifest, array indices as numbers.
    pub path: String,
    /// Short human message.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What the crate refuses: deserializing into its `PluginManifest` (first error, with its path),
/// and its permission validator on every entry of `permissions`.
pub fn crate_problems(manifest: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Err(error) = serde_path_to_error::deserialize::<_, PluginManifest>(manifest) {
        problems.push(Problem {
            path: dotted(&error.path().to_string()),
            message: error.inner().to_string(),
        });
    }
    if let Some(permissions) = manifest.get("permissions").and_then(Value::as_array) {
        for (index, permission) in permissions.iter().enumerate() {
            if let Err(message) = validate_manifest_permission_json(permission) {
                problems.push(Problem {
                    path: format!("permissions.{index}"),
                    message,
                });
            }
        }
    }
    problems
}

/// The host's own sidebar modules, which the crate documents a Level 0 `module_id` must not be.
pub const RESERVED_MODULE_IDS: &[&str] = &["devkit", "aichat", "settings"];

/// Fields whose value the host resolves as a file inside the package.
const PACKAGE_PATH_FIELDS: &[&[&str]] = &[
    &["icon"],
    &["entry", "frontend"],
    &["entry", "frontend_styles"],
    &["integration", "level0", "panel_entry"],
    &["integration", "level1", "panel_entry"],
    &["integration", "level3", "system_prompt_file"],
];

/// A path inside the package on every OS: not blank, no leading `/` or `\`, no drive letter, no
/// `..` segment with either separator.
pub fn is_package_path(path: &str) -> bool {
    if path.trim().is_empty() || path.starts_with(['/', '\\']) {
        return false;
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        return false;
    }
    !path.split(['/', '\\']).any(|segment| segment == "..")
}

/// This project's rules on top of the crate and the official packer (see the module docs).
pub fn own_problems(manifest: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(id) = manifest
        .pointer("/integration/level0/module_id")
        .and_then(Value::as_str)
    {
        if RESERVED_MODULE_IDS.contains(&id) {
            problems.push(Problem {
                path: "integration.level0.module_id".into(),
                message: format!(
                    "\"{id}\" is one of the host's own modules ({})",
                    RESERVED_MODULE_IDS.join(", ")
                ),
            });
        }
    }
    let mut paths: Vec<(String, &str)> = PACKAGE_PATH_FIELDS
        .iter()
        .filter_map(|field| {
            let pointer = format!("/{}", field.join("/"));
            manifest
                .pointer(&pointer)
                .and_then(Value::as_str)
                .map(|value| (field.join("."), value))
        })
        .collect();
    if let Some(native) = manifest.pointer("/entry/native").and_then(Value::as_object) {
        paths.extend(
            native
                .iter()
                .filter_map(|(key, value)| Some((format!("entry.native.{key}"), value.as_str()?))),
        );
    }
    for (path, value) in paths {
        if !is_package_path(value) {
            problems.push(Problem {
                path,
                message: format!("{value:?} must be a relative path inside the package on every OS (no leading / or \\, no drive letter, no ..)"),
            });
        }
    }
    problems
}

/// `permissions[5].type` (serde_path_to_error) → `permissions.5.type`; `.` → `manifest`.
fn dotted(path: &str) -> String {
    let path = path.replace('[', ".").replace(']', "");
    match path.trim_start_matches('.') {
        "" => "manifest".into(),
        rest => rest.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn package_paths_must_stay_relative_and_inside_on_every_os() {
        for good in [
            "dist/index.js",
            "assets/icon.svg",
            "a\\b.css",
            "dist/./x.js",
        ] {
            assert!(is_package_path(good), "{good}");
        }
        for bad in [
            "",
            " ",
            "/abs.js",
            "\\\\server\\share\\x.css",
            "C:\\x\\styles.css",
            "c:x.js",
            "../x.js",
            "dist\\..\\..\\x.js",
        ] {
            assert!(!is_package_path(bad), "{bad}");
        }
    }

    #[test]
    fn own_rules_name_each_field() {
        let manifest = json!({
            "integration": { "level0": { "module_id": "aichat", "panel_entry": "../panel.js" } },
            "entry": { "frontend": "dist/index.js", "native": { "linux_x64": "/usr/lib/x.so" } },
        });
        let paths: Vec<String> = own_problems(&manifest)
            .into_iter()
            .map(|p| p.path)
            .collect();
        assert_eq!(
            paths,
            [
                "integration.level0.module_id",
                "integration.level0.panel_entry",
                "entry.native.linux_x64"
            ]
        );
    }

    #[test]
    fn crate_problems_carry_the_serde_path_and_every_bad_permission() {
        let manifest = json!({ "keywords": "image", "permissions": [{ "type": "network_http" }, { "type": "nope" }] });
        let problems = crate_problems(&manifest);
        assert_eq!(problems[0].path, "keywords");
        assert_eq!(problems.last().unwrap().path, "permissions.1");
        assert_eq!(
            problems.last().unwrap().message,
            "Unknown plugin permission 'nope'."
        );
    }
}
