// The plugin id this bundle registered with. Each plugin bundle carries its own SDK copy, so this
// module state belongs to exactly one plugin. Empty until registerPlugin(), as in the published SDK.
let currentPluginId = "";

export function _setPluginId(pluginId: string): void {
  currentPluginId = pluginId;
}

export function _getPluginId(): string {
  return currentPluginId;
}

/** The stored id, or the published SDK's "plugin ID not set" error naming the caller. */
export function requirePluginId(caller: string): string {
  if (!currentPluginId) throw new Error(`[plugin-sdk] ${caller}: plugin ID not set. Did you call registerPlugin()?`);
  return currentPluginId;
}
