//! The plugin worker process (`devhost --plugin-worker <library> --home <dir>`): loads the plugin,
//! gives it a [`DevContext`], and runs each call on its own thread, so commands run concurrently
//! as in the host (a long `generate_images` and its `cancel_request` overlap).

use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hf_plugin_api::IpcHandler;
use serde_json::{json, Value};
use tracing::Level;

use crate::context::{DevContext, DevRegistrar, PluginPaths};
use crate::loader::LoadedPlugin;
use crate::logfile;
use crate::protocol::{emit, wire_prefix, Call, Hello, PluginInfo, Reply, WorkerLine};

struct Worker {
    loaded: Mutex<LoadedPlugin>,
    context: DevContext,
    handlers: std::collections::HashMap<String, IpcHandler>,
    wire_prefix: String,
    in_flight: AtomicUsize,
}

fn reply_ok(id: u64, value: Value) -> Reply {
    Reply { id, status: 200, value, error: None }
}

fn reply_err(id: u64, status: u16, message: impl Into<String>) -> Reply {
    Reply { id, status, value: Value::Null, error: Some(message.into()) }
}

/// Loads the plugin and serves calls from stdin until it closes. Returns the process exit code.
pub fn run(library: &Path, home: &Path) -> i32 {
    let mut loaded = match LoadedPlugin::load(library) {
        Ok(loaded) => loaded,
        Err(error) => {
            emit(&WorkerLine::Hello(Hello::Failed(error.to_string())));
            return 3;
        }
    };
    let metadata = loaded.plugin().metadata();
    let context = match DevContext::new(&metadata.id, PluginPaths::new(home, &metadata.id)) {
        Ok(context) => context,
        Err(error) => {
            emit(&WorkerLine::Hello(Hello::Failed(format!("cannot create the plugin's data directory: {error}"))));
            return 3;
        }
    };
    let mut registrar = DevRegistrar::default();
    if let Err(error) = loaded.plugin().on_load(&context, &mut registrar) {
        emit(&WorkerLine::Hello(Hello::Failed(format!("{} failed to load: {error}", metadata.id))));
        return 3;
    }
    let mut commands: Vec<String> = registrar.handlers.keys().cloned().collect();
    commands.sort();
    emit(&WorkerLine::Hello(Hello::Ready(PluginInfo {
        id: metadata.id.clone(),
        name: metadata.name,
        version: metadata.version,
        commands,
    })));

    let worker = Arc::new(Worker {
        wire_prefix: wire_prefix(&metadata.id),
        loaded: Mutex::new(loaded),
        context,
        handlers: registrar.handlers,
        in_flight: AtomicUsize::new(0),
    });
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let call: Call = match serde_json::from_str(&line) {
            Ok(call) => call,
            Err(error) => {
                logfile::devhost(Level::ERROR, &format!("worker: unreadable call from the server: {error}"));
                continue;
            }
        };
        let worker = worker.clone();
        worker.in_flight.fetch_add(1, Ordering::SeqCst);
        std::thread::spawn(move || {
            let reply = worker.handle(call);
            emit(&WorkerLine::Reply(reply));
            worker.in_flight.fetch_sub(1, Ordering::SeqCst);
        });
    }
    worker.shut_down();
    0
}

impl Worker {
    fn handle(&self, call: Call) -> Reply {
        match call.command.as_str() {
            "plugin_invoke" => self.invoke(call.id, &call.args),
            "plugin_get_settings" => match self.check_plugin_id(&call) {
                Err(reply) => reply,
                Ok(()) => reply_ok(call.id, hf_plugin_api::PluginContext::settings(&self.context)),
            },
            "plugin_save_settings" => self.save_settings(call),
            other => reply_err(call.id, 404, format!("command {other} not found")),
        }
    }

    fn check_plugin_id(&self, call: &Call) -> Result<(), Reply> {
        match call.args.get("pluginId").and_then(Value::as_str) {
            None => Err(reply_err(
                call.id,
                400,
                format!("invalid args `pluginId` for command `{}`: command {} missing required key pluginId", call.command, call.command),
            )),
            Some(id) if id == self.context.plugin_id() => Ok(()),
            Some(id) => Err(reply_err(call.id, 404, format!("Plugin not found: {id}"))),
        }
    }

    fn save_settings(&self, call: Call) -> Reply {
        if let Err(reply) = self.check_plugin_id(&call) {
            return reply;
        }
        let Some(settings) = call.args.get("settings").cloned() else {
            return reply_err(call.id, 400, "invalid args `settings` for command `plugin_save_settings`: command plugin_save_settings missing required key settings");
        };
        if let Err(error) = hf_plugin_api::PluginContext::save_settings(&self.context, settings.clone()) {
            return reply_err(call.id, 500, error.to_string());
        }
        let changed = self.loaded.lock().unwrap_or_else(|e| e.into_inner()).plugin().on_settings_changed(settings);
        match changed {
            Ok(()) => reply_ok(call.id, Value::Null),
            Err(error) => reply_err(call.id, 500, error.to_string()),
        }
    }

    /// `plugin_invoke { args: { wire_name, args } }` → the registered handler.
    fn invoke(&self, id: u64, args: &Value) -> Reply {
        let Some(envelope) = args.get("args").filter(|a| a.is_object()) else {
            return reply_err(id, 400, "invalid args `args` for command `plugin_invoke`: command plugin_invoke missing required key args");
        };
        let Some(wire_name) = envelope.get("wire_name").and_then(Value::as_str) else {
            return reply_err(id, 400, "invalid args `args` for command `plugin_invoke`: missing field `wire_name`");
        };
        let inner = envelope.get("args").cloned().unwrap_or_else(|| json!({}));
        let handler = wire_name.strip_prefix(&self.wire_prefix).and_then(|command| self.handlers.get(command));
        let Some(handler) = handler else {
            return reply_err(id, 404, format!("Plugin command not found: {wire_name}"));
        };
        match handler(inner, &self.context) {
            Ok(value) => reply_ok(id, value),
            Err(error) => reply_err(id, 500, error.to_string()),
        }
    }

    /// `on_unload`, then — once no command is running any more — destroy the plugin and unload
    /// its library. Commands still running after 3 s keep the library mapped until exit.
    fn shut_down(self: Arc<Self>) {
        match self.loaded.lock().unwrap_or_else(|e| e.into_inner()).plugin().on_unload() {
            Ok(()) => logfile::devhost(Level::INFO, &format!("plugin unloaded plugin={}", self.context.plugin_id())),
            Err(error) => logfile::devhost(Level::WARN, &format!("on_unload failed plugin={}: {error}", self.context.plugin_id())),
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while self.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if self.in_flight.load(Ordering::SeqCst) == 0 {
            if let Ok(worker) = Arc::try_unwrap(self) {
                // Handlers are the library's code: drop them before the library goes.
                drop(worker.handlers);
                drop(worker.loaded);
            }
        }
    }
}
