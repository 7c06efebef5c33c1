import type { PluginDefinition, PluginRegistry } from "./types.ts";

/** The host's plugin registry (`window.__hf_plugin_registry`); `onRegister` lets the page react. */
export function installRegistry(onRegister: (pluginId: string) => void): PluginRegistry {
  const plugins = new Map<string, PluginDefinition>();
  const registry: PluginRegistry = {
    register(pluginId, definition) {
      plugins.set(pluginId, definition);
      onRegister(pluginId);
    },
    get: (pluginId) => plugins.get(pluginId),
    getAll: () => new Map(plugins),
  };
  window.__hf_plugin_registry = registry;
  return registry;
}
