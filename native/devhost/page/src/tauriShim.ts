import { EventRelay } from "./eventRelay.ts";
import { HostRejection, postJson } from "./http.ts";
import type { InvokeArgs, TauriEventInternals, TauriInternals } from "./types.ts";

/**
 * Enough of Tauri 2's `window.__TAURI_INTERNALS__` for `@tauri-apps/api/core`'s `invoke`:
 * `invoke(cmd, args)` becomes `POST /invoke/<cmd>` with the same JSON. Like a Tauri command that
 * returns `Err(String)`, a failed call rejects with the message string itself.
 * `listen` gets the plugin's events from the dev host (see eventRelay.ts) under their wire name
 * `plugin:<id>:<event>`; emitting from the page is accepted and goes nowhere.
 */
export function installTauriShim(): void {
  const callbacks = new Map<number, (data: unknown) => void>();
  let nextId = 1;
  const relay = new EventRelay((handler, event) => callbacks.get(handler)?.(event));

  const internals: TauriInternals = {
    async invoke(cmd: string, args?: InvokeArgs): Promise<unknown> {
      if (cmd === "plugin:event|listen") return relay.listen(String(args?.event), Number(args?.handler));
      if (cmd === "plugin:event|unlisten") {
        relay.unlisten(Number(args?.eventId));
        return null;
      }
      if (cmd === "plugin:event|emit" || cmd === "plugin:event|emit_to") return null;
      try {
        return await postJson(`/invoke/${encodeURIComponent(cmd)}`, args ?? {});
      } catch (error) {
        throw error instanceof HostRejection ? error.message : error;
      }
    },
    transformCallback(callback, once = false) {
      const id = nextId++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        callback?.(data);
      });
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    runCallback(id, data) {
      callbacks.get(id)?.(data);
    },
    callbacks,
    convertFileSrc(filePath, protocol = "asset") {
      return `${protocol}://localhost/${encodeURIComponent(filePath)}`;
    },
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
  };
  const events: TauriEventInternals = { unregisterListener: (_event, eventId) => relay.unlisten(eventId) };
  window.__TAURI_INTERNALS__ = internals;
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = events;
}
