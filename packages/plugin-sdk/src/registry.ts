import { _setPluginId } from "./pluginId.ts";

/** A React component as the host renders it; typed structurally so the SDK needs no React at run time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostComponent = (props: any) => unknown;

export interface PluginDefinition {
  _type: "feature" | "module" | "assistant";
  slots?: Record<string, HostComponent>;
  panel?: HostComponent;
  onMount?: () => void;
  onUnmount?: () => void;
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
 * Outside the host (no registry) only the id is recorded, as the published SDK does.
 */
export function registerPlugin<T extends PluginDefinition>(pluginId: string, definition: T): T {
  _setPluginId(pluginId);
  if (typeof window !== "undefined") window.__hf_plugin_registry?.register(pluginId, definition);
  return definition;
}

export function definePlugin(options: Omit<PluginDefinition, "_type">): PluginDefinition {
  return { _type: "feature", ...options };
}

export function defineModulePlugin(options: {
  component: HostComponent;
  subNav?: unknown;
  onMount?: () => void;
  onUnmount?: () => void;
}): PluginDefinition {
  const { component, onMount, onUnmount } = options;
  return { _type: "module", panel: component, onMount, onUnmount };
}

export function defineAssistantPlugin(options: { component?: HostComponent } = {}): PluginDefinition {
  return { _type: "assistant", panel: options.component };
}
