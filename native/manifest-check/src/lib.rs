//! Judges a plugin `manifest.json` the way HaloForge does.
//!
//! Two sources of truth are combined, and every problem is reported (not the first):
//! - the crate `haloforge-plugin-api` 0.2.16 itself: its serde type [`PluginManifest`], its
//!   [`HostCapability`] enum and its permission validator
//!   [`validate_manifest_permission_json`];
//! - the host packer's `check` rules (HOST-CONTRACT.md §6) that those types do not enforce: blank
//!   strings, semver, capability levels 0–4 (the crate silently maps 5 to 4, so the raw JSON is
//!   read), window value sets, document handlers, relative entry paths and reserved module ids.
//!
//! The TypeScript checker (`src/schemas/manifest.ts`) applies the same rules; the corpus test in
//! `tests/manifest_corpus.rs` keeps the two verdicts equal.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;

use hf_plugin_api::permissions::validate_manifest_permission_json;
use hf_plugin_api::{HostCapability, Permission, PluginManifest};
use serde_json::{Map, Value};

/// One problem of a manifest: where it is (`compatibility.min_app_version`, `permissions.2.type`,
/// or `manifest` for the whole document) and what is wrong.
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

/// Semantic version `X.Y.Z[-pre][+build]`, as the packer's `SEMVER_RE`.
pub fn is_semver(value: &str) -> bool {
    let (rest, build) = match value.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (value, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let ident_ok = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && pre.is_none_or(ident_ok)
        && build.is_none_or(|b| ident_ok(b) && !b.contains('+'))
}

/// A path inside the package: relative (no leading `/` or `\`, no drive letter) with no `..`
/// segment. The packer normalizes `\` to `/` before it looks for `..`, so both separators count.
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

const OPEN_MODES: &[&str] = &["smart", "current", "new_window", "reuse_existing", "reuse_or_new"];
const REUSE_KEYS: &[&str] = &["plugin", "route", "resource", "none"];
const RESERVED_MODULE_IDS: &[&str] = &["devkit", "aichat", "settings"];
const SIDEBAR_POSITIONS: &[&str] = &["main", "bottom"];
const NATIVE_KEYS: &[&str] =
    &["macos_arm64", "macos_x64", "windows_x64", "windows_arm64", "linux_x64", "linux_arm64"];
/// Permission types that take no `value` (the crate's unit variants).
const UNIT_PERMISSIONS: &[&str] = &[
    "database_read_all", "database_create_tables", "filesystem_read", "filesystem_read_app_data",
    "filesystem_write", "filesystem_write_app_data", "network_http", "ipc_register", "events_emit",
    "events_listen", "ui_inject", "process_spawn", "notifications", "clipboard_read",
    "clipboard_write", "host_navigation", "host_app_state_read", "host_file_intents",
    "host_file_dialogs", "host_aichat_access", "host_enterprise_gateway_access", "host_deep_links",
    "host_theme_read", "host_event_subscribe", "app_config_read",
];

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem { path: path.to_string(), message: message.into() });
    }

    /// Required non-blank string; returns it when present and well-formed.
    fn required_string<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str) -> Option<&'a str> {
        let full = join(path, key);
        match obj.get(key) {
            None => {
                self.push(&full, "is required");
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.push(&full, "must not be blank");
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.push(&full, format!("must be a string, not {}", kind(other)));
                None
            }
        }
    }

    /// Optional string (`Option<String>` in the crate: absent or null both mean unset).
    fn optional_string<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str) -> Option<&'a str> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.push(&join(path, key), format!("must be a string, not {}", kind(other)));
                None
            }
        }
    }

    fn optional_non_blank<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str) -> Option<&'a str> {
        let value = self.optional_string(obj, path, key)?;
        if value.trim().is_empty() {
            self.push(&join(path, key), "must not be blank");
            return None;
        }
        Some(value)
    }

    fn semver(&mut self, full: &str, value: Option<&str>) {
        if let Some(v) = value {
            if !is_semver(v) {
                self.push(full, "must be a semantic version X.Y.Z[-pre][+build]");
            }
        }
    }

    fn package_path(&mut self, obj: &Map<String, Value>, path: &str, key: &str, required: bool) {
        let value = if required {
            self.required_string(obj, path, key)
        } else {
            self.optional_non_blank(obj, path, key)
        };
        if let Some(v) = value {
            if !is_package_path(v) {
                self.push(&join(path, key), "must be a relative path inside the plugin (no leading / and no ..)");
            }
        }
    }

    fn one_of(&mut self, obj: &Map<String, Value>, path: &str, key: &str, allowed: &[&str]) {
        if let Some(v) = self.optional_string(obj, path, key) {
            if !allowed.contains(&v) {
                self.push(&join(path, key), format!("must be one of {}, not {v:?}", allowed.join(", ")));
            }
        }
    }

    fn optional_bool(&mut self, obj: &Map<String, Value>, path: &str, key: &str) {
        match obj.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(_)) => {}
            Some(other) => self.push(&join(path, key), format!("must be true or false, not {}", kind(other))),
        }
    }

    /// Optional list of strings; returns its length (0 when absent or malformed).
    fn string_list(&mut self, obj: &Map<String, Value>, path: &str, key: &str, required: bool) -> usize {
        let full = join(path, key);
        match obj.get(key) {
            None if required => {
                self.push(&full, "is required");
                0
            }
            None => 0,
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if !item.is_string() {
                        self.push(&join(&full, &i.to_string()), format!("must be a string, not {}", kind(item)));
                    }
                }
                items.len()
            }
            Some(other) => {
                self.push(&full, format!("must be a list of strings, not {}", kind(other)));
                0
            }
        }
    }

    /// Optional object; reports a wrong type and returns the map when it is one.
    fn object<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str, required: bool) -> Option<&'a Map<String, Value>> {
        let full = join(path, key);
        match obj.get(key) {
            None if required => {
                self.push(&full, "is required");
                None
            }
            None => None,
            Some(Value::Null) if !required => None,
            Some(Value::Object(map)) => Some(map),
            Some(other) => {
                self.push(&full, format!("must be an object, not {}", kind(other)));
                None
            }
        }
    }

    /// Optional array of objects; yields `(path, object)` for each well-formed item.
    fn object_list<'a>(&mut self, obj: &'a Map<String, Value>, path: &str, key: &str) -> Vec<(String, &'a Map<String, Value>)> {
        let full = join(path, key);
        match obj.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let item_path = join(&full, &i.to_string());
                    match item {
                        Value::Object(map) => Some((item_path, map)),
                        other => {
                            self.push(&item_path, format!("must be an object, not {}", kind(other)));
                            None
                        }
                    }
                })
                .collect(),
            Some(other) => {
                self.push(&full, format!("must be a list, not {}", kind(other)));
                Vec::new()
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Every problem of a manifest document, in document order; empty when the host would accept it.
pub fn check_manifest(manifest: &Value) -> Vec<Problem> {
    let mut c = Checker { problems: Vec::new() };
    let Some(root) = manifest.as_object() else {
        c.push("manifest", format!("must be a JSON object, not {}", kind(manifest)));
        return c.problems;
    };

    for key in ["id", "name"] {
        c.required_string(root, "", key);
    }
    let version = c.required_string(root, "", "version");
    c.semver("version", version);
    c.required_string(root, "", "description");
    c.required_string(root, "", "author");
    for key in ["long_description", "author_url", "homepage", "license", "checksum"] {
        c.optional_string(root, "", key);
    }
    c.package_path(root, "", "icon", false);
    c.string_list(root, "", "keywords", false);

    if let Some(compat) = c.object(root, "", "compatibility", true) {
        c.required_string(compat, "compatibility", "min_app_version");
        let host_api = c.optional_non_blank(compat, "compatibility", "min_host_api_version");
        c.semver("compatibility.min_host_api_version", host_api);
        c.optional_string(compat, "compatibility", "max_app_version");
        c.string_list(compat, "compatibility", "platforms", false);
    }

    check_capability_levels(&mut c, root);
    check_integration(&mut c, root);
    check_window(&mut c, root);
    check_entry(&mut c, root);

    for (path, dep) in c.object_list(root, "", "dependencies") {
        c.required_string(dep, &path, "id");
        c.required_string(dep, &path, "version");
    }
    check_permissions(&mut c, root);
    check_host_capabilities(&mut c, root);
    for (path, command) in c.object_list(root, "", "commands") {
        c.required_string(command, &path, "id");
        c.optional_string(command, &path, "description");
    }

    // Last word to the crate's own type: anything it refuses that the rules above missed.
    if let Err(error) = serde_path_to_error::deserialize::<_, PluginManifest>(manifest) {
        let path = dotted(&error.path().to_string());
        let related = |p: &Problem| {
            path == "manifest"
                || p.path == path
                || p.path.starts_with(&format!("{path}."))
                || path.starts_with(&format!("{}.", p.path))
        };
        if !c.problems.iter().any(related) {
            c.push(&path, format!("rejected by the crate's PluginManifest: {}", error.inner()));
        }
    }
    c.problems
}

/// `permissions[5].type` (serde_path_to_error) → `permissions.5.type`; `.` → `manifest`.
fn dotted(path: &str) -> String {
    if path == "." {
        return "manifest".to_string();
    }
    path.replace('[', ".").replace(']', "")
}

fn check_capability_levels(c: &mut Checker, root: &Map<String, Value>) {
    match root.get("capability_levels") {
        None => c.push("capability_levels", "is required"),
        Some(Value::Array(levels)) if levels.is_empty() => {
            c.push("capability_levels", "must list at least one capability level")
        }
        Some(Value::Array(levels)) => {
            for (i, level) in levels.iter().enumerate() {
                // Read the raw number: the crate's `From<u8>` turns 5..=255 into 4.
                if level.as_u64().is_none_or(|n| n > 4) {
                    c.push(&format!("capability_levels.{i}"), format!("must be an integer from 0 to 4, not {level}"));
                }
            }
        }
        Some(other) => c.push("capability_levels", format!("must be a list of integers, not {}", kind(other))),
    }
}

fn check_integration(c: &mut Checker, root: &Map<String, Value>) {
    let Some(integration) = c.object(root, "", "integration", false) else { return };
    if let Some(level0) = c.object(integration, "integration", "level0", false) {
        let p = "integration.level0";
        if let Some(id) = c.required_string(level0, p, "module_id") {
            if RESERVED_MODULE_IDS.contains(&id) {
                c.push(&join(p, "module_id"), format!("must not be one of the host's modules ({})", RESERVED_MODULE_IDS.join(", ")));
            }
        }
        c.required_string(level0, p, "module_label");
        c.required_string(level0, p, "module_icon");
        c.one_of(level0, p, "sidebar_position", SIDEBAR_POSITIONS);
        c.package_path(level0, p, "panel_entry", true);
    }
    if let Some(level1) = c.object(integration, "integration", "level1", false) {
        let p = "integration.level1";
        for key in ["parent_module", "tab_id", "tab_label", "tab_icon"] {
            c.required_string(level1, p, key);
        }
        c.optional_string(level1, p, "tab_position");
        c.package_path(level1, p, "panel_entry", true);
    }
    if let Some(level2) = c.object(integration, "integration", "level2", false) {
        c.string_list(level2, "integration.level2", "slots", true);
    }
    if let Some(level3) = c.object(integration, "integration", "level3", false) {
        let p = "integration.level3";
        c.required_string(level3, p, "assistant_id");
        c.required_string(level3, p, "assistant_name");
        for key in ["assistant_icon", "assistant_description", "preferred_model"] {
            c.optional_string(level3, p, key);
        }
        c.package_path(level3, p, "system_prompt_file", true);
    }
    if let Some(level4) = c.object(integration, "integration", "level4", false) {
        c.string_list(level4, "integration.level4", "workflow_step_types", false);
    }
}

fn check_window(c: &mut Checker, root: &Map<String, Value>) {
    let Some(window) = c.object(root, "", "window", false) else { return };
    c.one_of(window, "window", "default_open_mode", OPEN_MODES);
    c.one_of(window, "window", "reuse_key", REUSE_KEYS);
    c.optional_bool(window, "window", "allow_multiple");
    for (path, handler) in c.object_list(window, "window", "document_handlers") {
        c.optional_string(handler, &path, "id");
        c.optional_string(handler, &path, "label");
        c.required_string(handler, &path, "route");
        c.optional_string(handler, &path, "resource_param");
        c.one_of(handler, &path, "open_mode", OPEN_MODES);
        c.one_of(handler, &path, "reuse_key", REUSE_KEYS);
        c.optional_bool(handler, &path, "allow_multiple");
        let declared = c.string_list(handler, &path, "extensions", false)
            + c.string_list(handler, &path, "mime_types", false);
        if declared == 0 {
            c.push(&path, "a document handler needs extensions or mime_types");
        }
    }
}

fn check_entry(c: &mut Checker, root: &Map<String, Value>) {
    let Some(entry) = c.object(root, "", "entry", false) else { return };
    c.package_path(entry, "entry", "frontend", false);
    c.package_path(entry, "entry", "frontend_styles", false);
    if let Some(native) = c.object(entry, "entry", "native", false) {
        for key in NATIVE_KEYS {
            c.package_path(native, "entry.native", key, false);
        }
    }
}

fn check_permissions(c: &mut Checker, root: &Map<String, Value>) {
    let Some(value) = root.get("permissions") else { return };
    let Some(items) = value.as_array() else {
        c.push("permissions", format!("must be a list, not {}", kind(value)));
        return;
    };
    for (i, permission) in items.iter().enumerate() {
        let path = format!("permissions.{i}");
        // The crate's validator knows the types and value shapes (and the host_a_i_chat_access hint).
        if let Err(message) = validate_manifest_permission_json(permission) {
            c.push(&path, message);
            continue;
        }
        let type_name = permission.get("type").and_then(Value::as_str).unwrap_or_default();
        let value = permission.get("value").filter(|v| !v.is_null());
        if UNIT_PERMISSIONS.contains(&type_name) {
            if value.is_some() {
                c.push(&format!("{path}.value"), format!("{type_name:?} takes no value"));
            }
        } else if value.and_then(Value::as_str).is_some_and(|s| s.trim().is_empty()) {
            c.push(&format!("{path}.value"), "must not be blank");
        }
        if let Err(error) = serde_json::from_value::<Permission>(permission.clone()) {
            if !c.problems.iter().any(|p| p.path.starts_with(&path)) {
                c.push(&path, format!("rejected by the crate's Permission type: {error}"));
            }
        }
    }
}

fn check_host_capabilities(c: &mut Checker, root: &Map<String, Value>) {
    let Some(value) = root.get("host_capabilities") else { return };
    let Some(items) = value.as_array() else {
        c.push("host_capabilities", format!("must be a list, not {}", kind(value)));
        return;
    };
    for (i, capability) in items.iter().enumerate() {
        // Known values are exactly the crate's HostCapability variants.
        if serde_json::from_value::<HostCapability>(capability.clone()).is_err() {
            c.push(&format!("host_capabilities.{i}"), format!("unknown host capability {capability}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_accepts_prerelease_and_build_and_rejects_short_forms() {
        for ok in ["0.1.0", "1.2.3-beta.1+build.5", "10.0.0+x", "1.0.0-rc-1"] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in ["1.0", "v1.0.0", "1.0.0-", "1.0.0+", "1.0.0.0", "", "1.x.0", "1.0.0+a+b"] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn package_paths_must_stay_relative_and_inside() {
        assert!(is_package_path("dist/index.js"));
        assert!(is_package_path("./dist/a..b.js"));
        for bad in ["/abs/x.js", "\\x.js", "C:\\plugin\\a.css", "../x.js", "dist/../../x", "a\\..\\b", " "] {
            assert!(!is_package_path(bad), "{bad}");
        }
    }

    #[test]
    fn reports_every_problem_not_only_the_first() {
        let problems = check_manifest(&serde_json::json!({
            "id": "", "name": "N", "version": "1.0", "description": "d", "author": "a",
            "compatibility": { "min_app_version": " " }, "capability_levels": [5]
        }));
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text[0].starts_with("id: "));
        assert!(text[1].starts_with("version: "));
        assert!(text[2].starts_with("compatibility.min_app_version: "));
        assert!(text[3].starts_with("capability_levels.0: "));
    }

    #[test]
    fn crate_maps_level_five_to_four_so_the_raw_json_is_judged() {
        let manifest = serde_json::json!({
            "id": "x", "name": "N", "version": "1.0.0", "description": "d", "author": "a",
            "compatibility": { "min_app_version": "0.8.0" }, "capability_levels": [5]
        });
        assert!(serde_json::from_value::<PluginManifest>(manifest.clone()).is_ok());
        assert_eq!(check_manifest(&manifest).len(), 1);
    }
}
