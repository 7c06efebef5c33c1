import { hostInvoke } from "./hostIpc.ts";
import { _getPluginId } from "./pluginId.ts";

function requirePluginId(caller: string): string {
  const pluginId = _getPluginId();
  if (!pluginId) throw new Error(`[plugin-sdk] ${caller}: plugin ID not set. Did you call registerPlugin()?`);
  return pluginId;
}

/** The host-managed plugin settings (the same store `usePluginSettings()` reads in React plugins). */
export async function getPluginSettings<T = Record<string, unknown>>(): Promise<T> {
  return hostInvoke<T>("getPluginSettings", "plugin_get_settings", { pluginId: requirePluginId("getPluginSettings") });
}

export async function savePluginSettings(settings: Record<string, unknown>): Promise<void> {
  await hostInvoke<void>("savePluginSettings", "plugin_save_settings", { pluginId: requirePluginId("savePluginSettings"), settings });
}
