//! The line protocol between the dev host's server process and its plugin worker process.
//!
//! Why two processes: a plugin library carries its own copy of Rust's standard library, and a
//! panic raised by one copy cannot be caught by another (Rust aborts with "cannot catch foreign
//! exceptions"). So the plugin runs in a worker process; when a command panics, the worker dies,
//! the server answers that call (and any other in flight) with an error, and starts a new worker
//! for the next call. The server itself never runs plugin code.
//!
//! The worker reads one JSON [`Call`] per line on stdin and writes one [`Reply`] (or
//! [`PluginEvent`]) per line on stdout, each prefixed with [`MARKER`] so anything else a plugin prints is passed through.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Prefix of every protocol line the worker writes.
pub const MARKER: &str = "\u{1}hf-devhost-worker ";

/// A host command for the worker: `plugin_invoke`, `plugin_get_settings` or `plugin_save_settings`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Call {
    /// Matches the reply.
    pub id: u64,
    /// The Tauri command name.
    pub command: String,
    /// The invoke arguments, as the page sent them.
    pub args: Value,
}

/// The outcome of a [`Call`]: `status` 200 with `value`, or an error status with `error`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reply {
    /// The call's id.
    pub id: u64,
    /// HTTP status the server answers with.
    pub status: u16,
    /// The command's answer when `status` is 200.
    #[serde(default)]
    pub value: Value,
    /// The rejection message otherwise.
    #[serde(default)]
    pub error: Option<String>,
}

/// What the worker reports once the plugin is loaded (first line), or why it could not be.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Hello {
    /// `on_load` succeeded.
    Ready(PluginInfo),
    /// The library was refused or `on_load` failed.
    Failed(String),
}

/// The loaded plugin, as the server prints and reports it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PluginInfo {
    /// Plugin id from its metadata.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Registered command names (short names).
    pub commands: Vec<String>,
}

/// A plugin event (`ctx.events().emit`), with the host's wire name `plugin:<id>:<event>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PluginEvent {
    /// The wire name.
    pub event: String,
    /// The plugin's payload.
    pub payload: Value,
}

/// A worker line: the hello, a reply or an event.
#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerLine {
    /// First line.
    Hello(Hello),
    /// The answer to a call.
    Reply(Reply),
    /// An event the plugin emitted, at any time.
    Event(PluginEvent),
}

/// Writes one protocol line to stdout, where the server reads it (the worker's replies, and the
/// plugin's events from its context).
pub fn emit(line: &WorkerLine) {
    use std::io::Write;
    let text = serde_json::to_string(line).expect("protocol lines serialize");
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{MARKER}{text}");
    let _ = stdout.flush();
}

/// The host's wire name for a plugin command: `plugin_` + id with `.` and `-` as `_` + `_` + command.
pub fn wire_prefix(plugin_id: &str) -> String {
    format!("plugin_{}_", plugin_id.replace(['.', '-'], "_"))
}

#[cfg(test)]
mod tests {
    use super::wire_prefix;

    #[test]
    fn wire_names_replace_dots_and_dashes_only() {
        assert_eq!(wire_prefix("dev.haloforge.managed-image-gateway"), "plugin_dev_haloforge_managed_image_gateway_");
        assert_eq!(wire_prefix("a_b.C"), "plugin_a_b_C_");
    }
}
