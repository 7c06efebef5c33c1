//! The host's daily log file, `<home>/.haloforge/logs/haloforge.log.YYYY-MM-DD`, written with
//! `tracing` + `tracing-appender`'s daily rotation (whose file naming the host shares).
//!
//! One record per line:
//!
//! ```text
//! 2026-11-23T06:45:00.123Z INFO  dev.haloforge.managed-image-gateway: image request started request_id=r-1 …
//! 2026-11-23T06:45:00.456Z WARN  plugin:dev.haloforge.managed-image-gateway:panel: generation failed details={"code":"timeout"}
//! ```
//!
//! `<UTC timestamp, ms> <LEVEL padded to 5> <source>: <message>[ details=<compact JSON>]`, where
//! source is the plugin id (Rust `ctx.log`), the frontend scope (`frontend_log_event`) or
//! `devhost` (the dev host itself). Line breaks inside a message are written as `\n` so a record
//! is always one line. Both dev host processes (server and plugin worker) append to the file.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// The dev host's own records use this source.
pub const DEVHOST_SOURCE: &str = "devhost";

/// `<home>/.haloforge/logs`.
pub fn log_dir(home: &Path) -> PathBuf {
    home.join(".haloforge").join("logs")
}

/// Installs the global subscriber writing to the daily file. `level` is the most verbose level
/// written (from `RUST_LOG`, as in the host: debug and trace only when asked for).
pub fn init(home: &Path, level: Level) -> std::io::Result<()> {
    let dir = log_dir(home);
    std::fs::create_dir_all(&dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("haloforge.log")
        .build(&dir)
        .map_err(std::io::Error::other)?;
    // Blocking writes: a record is on disk when the call that logged it returns, and nothing is
    // lost when the process is stopped with Ctrl+C.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(appender)
        .with_ansi(false)
        .with_max_level(level)
        .event_format(LineFormat)
        .finish();
    tracing::subscriber::set_global_default(subscriber).map_err(std::io::Error::other)
}

/// The level from a `RUST_LOG`-style value (`debug`, `warn`, …); `info` when absent or unknown.
pub fn level_from_env(value: Option<&str>) -> Level {
    match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        Some("trace") => Level::TRACE,
        Some("debug") => Level::DEBUG,
        Some("warn") => Level::WARN,
        Some("error") => Level::ERROR,
        _ => Level::INFO,
    }
}

/// Writes one record. `details` is omitted from the line when null.
pub fn record(level: Level, source: &str, message: &str, details: &Value) {
    let details = if details.is_null() { String::new() } else { details.to_string() };
    // `event!` needs a constant level.
    match level {
        Level::TRACE => tracing::trace!(source, details, "{message}"),
        Level::DEBUG => tracing::debug!(source, details, "{message}"),
        Level::INFO => tracing::info!(source, details, "{message}"),
        Level::WARN => tracing::warn!(source, details, "{message}"),
        _ => tracing::error!(source, details, "{message}"),
    }
}

/// A record written by the dev host itself.
pub fn devhost(level: Level, message: &str) {
    record(level, DEVHOST_SOURCE, message, &Value::Null);
}

#[derive(Default)]
struct Fields {
    message: String,
    source: String,
    details: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "source" => self.source = value.to_string(),
            "details" => self.details = value.to_string(),
            "message" => self.message = value.to_string(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            // `format_args!` messages arrive here; Display of Arguments is the text itself.
            "message" => self.message = format!("{value:?}"),
            "source" => self.source = format!("{value:?}"),
            _ => {}
        }
    }
}

/// Keeps a record on one line.
fn one_line(text: &str) -> String {
    text.replace('\r', "\\r").replace('\n', "\\n")
}

/// The documented line layout (module docs).
pub struct LineFormat;

impl<S, N> FormatEvent<S, N> for LineFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, _ctx: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let source = if fields.source.is_empty() { DEVHOST_SOURCE.to_string() } else { one_line(&fields.source) };
        let mut line = format!(
            "{} {:<5} {}: {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
            event.metadata().level().as_str(),
            source,
            one_line(&fields.message),
        );
        if !fields.details.is_empty() {
            let _ = write!(line, " details={}", one_line(&fields.details));
        }
        writeln!(writer, "{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_missing_log_levels_mean_info() {
        assert_eq!(level_from_env(None), Level::INFO);
        assert_eq!(level_from_env(Some("verbose")), Level::INFO);
        assert_eq!(level_from_env(Some(" DEBUG ")), Level::DEBUG);
    }

    #[test]
    fn line_breaks_never_split_a_record() {
        assert_eq!(one_line("a\nb\r\nc"), "a\\nb\\r\\nc");
    }
}
