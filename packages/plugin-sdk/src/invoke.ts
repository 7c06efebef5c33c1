import { hostInvoke } from "./hostIpc.ts";
import { _getPluginId } from "./pluginId.ts";

/** The host's command name for a plugin command: `plugin_<id with . and - as _>_<command>`. */
export function pluginWireName(pluginId: string, command: string): string {
  return `plugin_${pluginId.replace(/[.-]/g, "_")}_${command}`;
}

const pluginInvoke = <T>(caller: string, pluginId: string, command: string, args?: Record<string, unknown>) =>
  hostInvoke<T>(caller, "plugin_invoke", { args: { wire_name: pluginWireName(pluginId, command), args: args ?? {} } });

/** Calls a command the plugin's native library registered; `args` reach the Rust handler unchanged. */
export async function invokePlugin<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
  const pluginId = _getPluginId();
  if (!pluginId) throw new Error("[plugin-sdk] invokePlugin: plugin ID not set. Did you call registerPlugin()?");
  return pluginInvoke<T>("invokePlugin", pluginId, command, args);
}

export async function invokeOtherPlugin<T = unknown>(
  targetPluginId: string,
  command: string,
  args?: Record<string, unknown>,
): Promise<T> {
  return pluginInvoke<T>("invokeOtherPlugin", targetPluginId, command, args);
}

/** Raw host command (discouraged: prefer the typed helpers). */
export async function invokeHost<T = unknown>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  return hostInvoke<T>("invokeHost", command, args);
}

export async function emitPluginEvent(event: string, payload?: unknown): Promise<void> {
  await invokePlugin("emit_event", { event, payload });
}
