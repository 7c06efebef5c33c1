//! Test doubles for the host side of `haloforge-plugin-api`: a plugin context that records log
//! lines and keeps settings in memory, and an IPC registrar that keeps the handlers so tests can
//! call commands by name with JSON, the way the host does.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use hf_plugin_api::{
    AppEvent, DatabaseAccess, EventBus, HaloForgePlugin, HostTable, HttpClient, IpcHandler,
    IpcRegistrar, LogLevel, Notification, PluginContext, PluginError, PluginFs, ProcessRunner,
    SubscriptionToken, WorkflowStepTypeDefinition,
};
use serde_json::Value;

/// Database and event bus are never used by this plugin; they refuse everything.
pub struct NoDatabase;

impl DatabaseAccess for NoDatabase {
    fn query(&self, _: &str, _: &[Value]) -> Result<Vec<HashMap<String, Value>>, PluginError> {
        Err(PluginError::PermissionDenied("database".into()))
    }
    fn execute(&self, _: &str, _: &[Value]) -> Result<usize, PluginError> {
        Err(PluginError::PermissionDenied("database".into()))
    }
    fn create_table(&self, _: &str, _: &str) -> Result<(), PluginError> {
        Err(PluginError::PermissionDenied("database".into()))
    }
    fn read_host_table(&self, _: HostTable, _: Option<u32>) -> Result<Vec<Value>, PluginError> {
        Err(PluginError::PermissionDenied("database".into()))
    }
}

/// Records every plugin event (name and payload); subscriptions are never used.
#[derive(Default)]
pub struct RecordedEvents {
    pub emitted: Mutex<Vec<(String, Value)>>,
}

impl EventBus for RecordedEvents {
    fn emit(&self, event: &str, payload: Value) -> Result<(), PluginError> {
        self.emitted.lock().unwrap().push((event.to_string(), payload));
        Ok(())
    }
    fn subscribe(&self, _: AppEvent, _: Box<dyn Fn(Value) + Send + Sync>) -> SubscriptionToken {
        SubscriptionToken(0)
    }
    fn unsubscribe(&self, _: SubscriptionToken) {}
}

/// A host context that records every log line, keeps settings in memory and has its own
/// temporary data folder (where the key file goes).
pub struct FakeContext {
    pub logs: Mutex<Vec<(LogLevel, String)>>,
    pub settings: Mutex<Value>,
    pub data: tempfile::TempDir,
    db: NoDatabase,
    pub events: RecordedEvents,
}

impl Default for FakeContext {
    fn default() -> Self {
        Self::with_settings(Value::Object(Default::default()))
    }
}

impl FakeContext {
    /// A context whose host settings start as `settings`.
    pub fn with_settings(settings: Value) -> Self {
        Self {
            logs: Mutex::new(Vec::new()),
            settings: Mutex::new(settings),
            data: tempfile::tempdir().expect("a temporary data folder"),
            db: NoDatabase,
            events: RecordedEvents::default(),
        }
    }
    pub fn log_lines(&self) -> Vec<String> {
        self.logs.lock().unwrap().iter().map(|(_, line)| line.clone()).collect()
    }
    pub fn settings_text(&self) -> String {
        self.settings.lock().unwrap().to_string()
    }
}

impl PluginContext for FakeContext {
    fn db(&self) -> &dyn DatabaseAccess {
        &self.db
    }
    fn events(&self) -> &dyn EventBus {
        &self.events
    }
    fn http(&self) -> Option<&dyn HttpClient> {
        None
    }
    fn fs(&self) -> Option<&dyn PluginFs> {
        None
    }
    fn process(&self) -> Option<&dyn ProcessRunner> {
        None
    }
    fn settings(&self) -> Value {
        self.settings.lock().unwrap().clone()
    }
    fn save_settings(&self, settings: Value) -> Result<(), PluginError> {
        *self.settings.lock().unwrap() = settings;
        Ok(())
    }
    fn data_dir(&self) -> PathBuf {
        self.data.path().join("data")
    }
    fn log(&self, level: LogLevel, msg: &str) {
        self.logs.lock().unwrap().push((level, msg.to_string()));
    }
    fn notify(&self, _: Notification) {}
}

/// Keeps registered handlers by their short name.
#[derive(Default)]
pub struct FakeRegistrar {
    pub handlers: HashMap<String, IpcHandler>,
}

impl IpcRegistrar for FakeRegistrar {
    fn register(&mut self, name: &str, handler: IpcHandler) -> Result<(), PluginError> {
        if self.handlers.insert(name.to_string(), handler).is_some() {
            return Err(PluginError::Custom(format!("command {name} registered twice")));
        }
        Ok(())
    }
    fn register_workflow_step_type(&mut self, _: WorkflowStepTypeDefinition) -> Result<(), PluginError> {
        Err(PluginError::Unsupported("workflow steps".into()))
    }
}

/// A loaded plugin plus its host doubles.
pub struct Host {
    pub plugin: Mutex<Box<dyn HaloForgePlugin>>,
    pub ctx: FakeContext,
    pub ipc: FakeRegistrar,
}

impl Host {
    /// The real transport; the key in the data-folder file only (never this machine's keychain).
    pub fn load() -> Self {
        Self::load_plugin(managed_image_gateway::ManagedImageGateway::new().with_key_stores(managed_image_gateway::KeyStores::FileOnly))
    }

    pub fn load_plugin(plugin: managed_image_gateway::ManagedImageGateway) -> Self {
        Self::load_with(plugin, FakeContext::default())
    }

    /// Loads `plugin` into `ctx` (e.g. settings an earlier version wrote).
    pub fn load_with(plugin: managed_image_gateway::ManagedImageGateway, ctx: FakeContext) -> Self {
        let mut plugin: Box<dyn HaloForgePlugin> = Box::new(plugin);
        let mut ipc = FakeRegistrar::default();
        plugin.on_load(&ctx, &mut ipc).expect("on_load");
        Self { plugin: Mutex::new(plugin), ctx, ipc }
    }

    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, PluginError> {
        let handler = self.ipc.handlers.get(command).unwrap_or_else(|| panic!("no command {command}"));
        handler(args, &self.ctx)
    }
}

/// A 1x1 PNG, base64.
pub const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

/// `generate_images` arguments for `base_url`.
pub fn generate_args(request_id: &str, base_url: &str, request: Value) -> Value {
    serde_json::json!({ "requestId": request_id, "endpoint": { "profileId": "default", "baseUrl": base_url }, "request": request })
}

/// Log lines that mention `request_id=<id>`.
pub fn lines_for(ctx: &FakeContext, request_id: &str) -> Vec<String> {
    let needle = format!("request_id={request_id} ");
    ctx.log_lines().into_iter().filter(|l| l.contains(&needle) || l.ends_with(&format!("request_id={request_id}"))).collect()
}

/// Asserts one started line and one terminal line with this event for `request_id`.
pub fn assert_logged_once(ctx: &FakeContext, request_id: &str, terminal: &str) -> Vec<String> {
    let lines = lines_for(ctx, request_id);
    assert_eq!(lines.len(), 2, "expected exactly two lines for {request_id}: {lines:#?}");
    assert!(lines[0].contains(" started "), "{lines:#?}");
    assert!(lines[1].contains(&format!(" {terminal} ")), "{lines:#?}");
    lines
}

impl FakeContext {
    /// Replaces the settings, as the user saving other settings in Plugin Manager would.
    pub fn save_settings_for_test(&self, settings: Value) {
        *self.settings.lock().unwrap() = settings;
    }
}
