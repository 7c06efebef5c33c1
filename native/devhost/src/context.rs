//! The plugin context and IPC registrar the dev host gives a plugin, as HaloForge does: log lines
//! go to the daily log file tagged with the plugin id, settings persist as JSON on disk, the
//! data directory is real, and `http()` is a JSON client (the manifest grants `network_http`).
//! Database, file system and process access are not granted to this plugin, so they refuse.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use hf_plugin_api::{
    AppEvent, DatabaseAccess, EventBus, HostTable, HttpClient, HttpResponse, IpcHandler, IpcRegistrar, LogLevel,
    Notification, PluginContext, PluginError, PluginFs, ProcessRunner, SubscriptionToken, WorkflowStepTypeDefinition,
};
use serde_json::{Map, Value};
use tracing::Level;

use crate::logfile;
use crate::protocol::{emit, PluginEvent, WorkerLine};

/// Where the dev host keeps a plugin's files under `<home>/.haloforge`.
#[derive(Debug, Clone)]
pub struct PluginPaths {
    /// `<home>/.haloforge/plugins/<id>/data` (the host's layout).
    pub data_dir: PathBuf,
    /// `<home>/.haloforge/devhost/settings/<id>.json`.
    pub settings_file: PathBuf,
}

impl PluginPaths {
    /// The paths for `plugin_id` under `home`.
    pub fn new(home: &Path, plugin_id: &str) -> Self {
        let root = home.join(".haloforge");
        Self {
            data_dir: root.join("plugins").join(plugin_id).join("data"),
            settings_file: root.join("devhost").join("settings").join(format!("{plugin_id}.json")),
        }
    }
}

/// JSON settings in one file per plugin; every save rewrites the file atomically.
pub struct SettingsStore {
    file: PathBuf,
    value: Mutex<Value>,
}

impl SettingsStore {
    /// Opens the store; a missing or unreadable file means empty settings `{}`.
    pub fn open(file: PathBuf) -> Self {
        let value = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
            .filter(Value::is_object)
            .unwrap_or_else(|| Value::Object(Map::new()));
        Self { file, value: Mutex::new(value) }
    }

    /// The current settings.
    pub fn get(&self) -> Value {
        self.value.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces and persists the settings.
    pub fn save(&self, settings: Value) -> Result<(), PluginError> {
        if !settings.is_object() {
            return Err(PluginError::Serialization("settings must be a JSON object".into()));
        }
        let mut current = self.value.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temporary = self.file.with_extension("json.tmp");
        let bytes = serde_json::to_vec_pretty(&settings).map_err(|e| PluginError::Serialization(e.to_string()))?;
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, &self.file)?;
        *current = settings;
        Ok(())
    }
}

struct NoDatabase;

impl DatabaseAccess for NoDatabase {
    fn query(&self, _: &str, _: &[Value]) -> Result<Vec<HashMap<String, Value>>, PluginError> {
        Err(denied("database access"))
    }
    fn execute(&self, _: &str, _: &[Value]) -> Result<usize, PluginError> {
        Err(denied("database access"))
    }
    fn create_table(&self, _: &str, _: &str) -> Result<(), PluginError> {
        Err(denied("database access"))
    }
    fn read_host_table(&self, _: HostTable, _: Option<u32>) -> Result<Vec<Value>, PluginError> {
        Err(denied("database access"))
    }
}

fn denied(what: &str) -> PluginError {
    PluginError::PermissionDenied(format!("{what} is not granted to this plugin (dev host)"))
}

/// Events are written to the log and sent to the server, which relays them to the page under
/// the host's wire name; subscriptions never fire.
struct LoggedEvents {
    plugin_id: String,
    next_token: Mutex<u64>,
}

impl EventBus for LoggedEvents {
    fn emit(&self, event: &str, payload: Value) -> Result<(), PluginError> {
        let wire = format!("plugin:{}:{event}", self.plugin_id);
        logfile::record(Level::DEBUG, &self.plugin_id, &format!("event emitted event={wire}"), &Value::Null);
        emit(&WorkerLine::Event(PluginEvent { event: wire, payload }));
        Ok(())
    }
    fn subscribe(&self, _event: AppEvent, _handler: Box<dyn Fn(Value) + Send + Sync>) -> SubscriptionToken {
        let mut next = self.next_token.lock().unwrap_or_else(|e| e.into_inner());
        *next += 1;
        SubscriptionToken(*next)
    }
    fn unsubscribe(&self, _token: SubscriptionToken) {}
}

/// The crate's JSON-only HTTP client, on blocking reqwest (no redirects, 300 s limit).
struct JsonHttpClient {
    client: OnceLock<Result<reqwest::blocking::Client, String>>,
}

impl JsonHttpClient {
    fn client(&self) -> Result<&reqwest::blocking::Client, PluginError> {
        self.client
            .get_or_init(|| {
                reqwest::blocking::Client::builder()
                    .timeout(Duration::from_secs(300))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| PluginError::Network(e.clone()))
    }

    fn send(&self, request: reqwest::blocking::RequestBuilder, headers: Option<HashMap<String, String>>) -> Result<HttpResponse, PluginError> {
        let request = headers.unwrap_or_default().into_iter().fold(request, |r, (k, v)| r.header(k, v));
        let response = request.send().map_err(|e| PluginError::Network(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let text = response.text().map_err(|e| PluginError::Network(e.without_url().to_string()))?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(HttpResponse { status, headers, body })
    }
}

impl HttpClient for JsonHttpClient {
    fn get(&self, url: &str, headers: Option<HashMap<String, String>>) -> Result<HttpResponse, PluginError> {
        self.send(self.client()?.get(url), headers)
    }
    fn post(&self, url: &str, body: Value, headers: Option<HashMap<String, String>>) -> Result<HttpResponse, PluginError> {
        self.send(self.client()?.post(url).json(&body), headers)
    }
}

/// The context handed to `on_load` and to every command.
pub struct DevContext {
    plugin_id: String,
    paths: PluginPaths,
    settings: SettingsStore,
    db: NoDatabase,
    events: LoggedEvents,
    http: JsonHttpClient,
}

impl DevContext {
    /// A context for `plugin_id`; creates its data directory.
    pub fn new(plugin_id: &str, paths: PluginPaths) -> std::io::Result<Self> {
        std::fs::create_dir_all(&paths.data_dir)?;
        Ok(Self {
            plugin_id: plugin_id.to_string(),
            settings: SettingsStore::open(paths.settings_file.clone()),
            paths,
            db: NoDatabase,
            events: LoggedEvents { plugin_id: plugin_id.to_string(), next_token: Mutex::new(0) },
            http: JsonHttpClient { client: OnceLock::new() },
        })
    }

    /// The plugin id this context logs under.
    pub fn plugin_id(&self) -> &str {
        &self.plugin_id
    }
}

/// The tracing level for a plugin log level.
pub fn tracing_level(level: LogLevel) -> Level {
    match level {
        LogLevel::Trace => Level::TRACE,
        LogLevel::Debug => Level::DEBUG,
        LogLevel::Info => Level::INFO,
        LogLevel::Warn => Level::WARN,
        LogLevel::Error => Level::ERROR,
    }
}

impl PluginContext for DevContext {
    fn db(&self) -> &dyn DatabaseAccess {
        &self.db
    }
    fn events(&self) -> &dyn EventBus {
        &self.events
    }
    fn http(&self) -> Option<&dyn HttpClient> {
        Some(&self.http)
    }
    fn fs(&self) -> Option<&dyn PluginFs> {
        None
    }
    fn process(&self) -> Option<&dyn ProcessRunner> {
        None
    }
    fn settings(&self) -> Value {
        self.settings.get()
    }
    fn save_settings(&self, settings: Value) -> Result<(), PluginError> {
        self.settings.save(settings)
    }
    fn data_dir(&self) -> PathBuf {
        self.paths.data_dir.clone()
    }
    fn log(&self, level: LogLevel, msg: &str) {
        logfile::record(tracing_level(level), &self.plugin_id, msg, &Value::Null);
    }
    fn notify(&self, notification: Notification) {
        let kind = serde_json::to_value(notification.kind).unwrap_or(Value::Null);
        logfile::record(
            Level::INFO,
            &self.plugin_id,
            &format!("notification: {} — {}", notification.title, notification.message),
            &serde_json::json!({ "kind": kind }),
        );
    }
}

/// Collects the handlers a plugin registers in `on_load`.
#[derive(Default)]
pub struct DevRegistrar {
    /// Handlers by the short name the plugin registered.
    pub handlers: HashMap<String, IpcHandler>,
    /// Workflow step types (recorded; the dev host runs no workflows).
    pub step_types: Vec<WorkflowStepTypeDefinition>,
}

impl IpcRegistrar for DevRegistrar {
    fn register(&mut self, name: &str, handler: IpcHandler) -> Result<(), PluginError> {
        if self.handlers.contains_key(name) {
            return Err(PluginError::InitFailed(format!("command `{name}` registered twice")));
        }
        self.handlers.insert(name.to_string(), handler);
        Ok(())
    }
    fn register_workflow_step_type(&mut self, definition: WorkflowStepTypeDefinition) -> Result<(), PluginError> {
        self.step_types.push(definition);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_restart_and_refuse_non_objects() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("nested").join("p.json");
        let store = SettingsStore::open(file.clone());
        assert_eq!(store.get(), serde_json::json!({}));
        store.save(serde_json::json!({ "a": 1 })).unwrap();
        assert!(store.save(serde_json::json!([1])).is_err());
        assert_eq!(SettingsStore::open(file).get(), serde_json::json!({ "a": 1 }));
    }
}
