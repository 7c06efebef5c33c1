import { _setPluginId } from "./pluginId.ts";

/**
 * A React component as the host renders it. Typed structurally so the SDK needs no React at run
 * time (the plugin's UI is Vue; its panel is a small React function over the host's React).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostComponent = (props: any) => unknown;

export interface PluginDefinition {
  _type: "feature" | "module" | "assistant";
  slots?: Record<string, HostComponent>;
  panel?: HostComponent;
  onMount?: () => void;
  onUnmount?: () => void;
}

export interface FeaturePluginOptions {
  slots?: Record<string, HostComponent>;
  panel?: HostComponent;
  onMount?: () => void;
  onUnmount?: () => void;
}

export interface ModulePluginOptions {
  component: HostComponent;
  /** Accepted for source compatibility; the published SDK drops it too. */
  subNav?: Array<{ id: string; label: string; icon: string }>;
  onMount?: () => void;
  onUnmount?: () => void;
}

export interface AssistantPluginOptions {
  component?: HostComponent;
}

interface HostPluginRegistry {
  register(pluginId: string, definition: PluginDefinition): void;
  get(pluginId: string): PluginDefinition | undefined;
  getAll(): Map<string, PluginDefinition>;
}

declare global {
  interface Window {
    __hf_plugin_registry?: HostPluginRegistry;
  }
}

/**
 * Records the plugin id for every later SDK call and hands the definition to the host's registry.
 * The id must equal manifest.json `id`. Without a registry (tests, standalone dev) only the id is
 * recorded, silently, as the published SDK does.
 */
export function registerPlugin<T extends PluginDefinition>(pluginId: string, definition: T): T {
  _setPluginId(pluginId);
  if (typeof window !== "undefined" && window.__hf_plugin_registry) {
    window.__hf_plugin_registry.register(pluginId, definition);
  }
  return definition;
}

// The define* helpers copy only the known keys, so a definition has the published SDK's shape
// whatever else the options object carries.

export function definePlugin(options: FeaturePluginOptions): PluginDefinition {
  const { slots, panel, onMount, onUnmount } = options;
  return { _type: "feature", slots, panel, onMount, onUnmount };
}

export function defineModulePlugin(options: ModulePluginOptions): PluginDefinition {
  const { component, onMount, onUnmount } = options;
  return { _type: "module", panel: component, onMount, onUnmount };
}

export function defineAssistantPlugin(options: AssistantPluginOptions = {}): PluginDefinition {
  return { _type: "assistant", panel: options.component };
}
