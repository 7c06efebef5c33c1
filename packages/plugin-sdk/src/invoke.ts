import { hostInvoke } from "./hostIpc.ts";
import { requirePluginId } from "./pluginId.ts";

/** The host's command name for a plugin command: `plugin_<id with . and - as _>_<command>`. */
export function pluginWireName(pluginId: string, command: string): string {
  return `plugin_${pluginId.replace(/[.-]/g, "_")}_${command}`;
}

// Every plugin command travels in one host command; the inner args reach the Rust handler unchanged.
const pluginInvoke = <T>(caller: string, pluginId: string, command: string, args?: Record<string, unknown>) =>
  hostInvoke<T>(caller, "plugin_invoke", { args: { wire_name: pluginWireName(pluginId, command), args: args ?? {} } });

/** Calls a command this plugin's native library registered. */
export async function invokePlugin<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
  return pluginInvoke<T>("invokePlugin", requirePluginId("invokePlugin"), command, args);
}

/** Calls a command another plugin registered; needs no id of our own. */
export async function invokeOtherPlugin<T = unknown>(
  targetPluginId: string,
  command: string,
  args?: Record<string, unknown>,
): Promise<T> {
  return pluginInvoke<T>("invokeOtherPlugin", targetPluginId, command, args);
}

/** Raw host command (discouraged: prefer the typed helpers). */
export async function invokeHost<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
  return hostInvoke<T>("invokeHost", command, args);
}

/** Emits an event through the plugin's own `emit_event` command. */
export async function emitPluginEvent(event: string, payload: unknown): Promise<void> {
  await pluginInvoke("emitPluginEvent", requirePluginId("emitPluginEvent"), "emit_event", { event, payload });
}
