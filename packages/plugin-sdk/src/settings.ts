import { hostInvoke } from "./hostIpc.ts";
import { requirePluginId } from "./pluginId.ts";

// The commands the published React hook usePluginSettings() calls, without React.

/** The host-managed plugin settings. */
export async function getPluginSettings<T = Record<string, unknown>>(): Promise<T> {
  return hostInvoke<T>("getPluginSettings", "plugin_get_settings", { pluginId: requirePluginId("getPluginSettings") });
}

/** Replaces the stored settings with `settings` (the hook sends the merged object, not a patch). */
export async function savePluginSettings(settings: Record<string, unknown>): Promise<void> {
  const pluginId = requirePluginId("savePluginSettings");
  await hostInvoke<void>("savePluginSettings", "plugin_save_settings", { pluginId, settings });
}
