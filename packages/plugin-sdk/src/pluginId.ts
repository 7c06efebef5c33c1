// The plugin id this bundle registered with. Each plugin bundle carries its own SDK copy, so this
// module state belongs to exactly one plugin.
let currentPluginId: string | undefined;

export function _setPluginId(pluginId: string): void {
  currentPluginId = pluginId;
}

export function _getPluginId(): string | undefined {
  return currentPluginId;
}
