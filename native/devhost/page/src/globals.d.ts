import type { DevHostHint, HostBridge, PluginRegistry, TauriEventInternals, TauriInternals } from "./types.ts";

declare global {
  interface Window {
    React?: unknown;
    ReactDOM?: unknown;
    __TAURI_INTERNALS__?: TauriInternals;
    __TAURI_EVENT_PLUGIN_INTERNALS__?: TauriEventInternals;
    __hf_plugin_registry?: PluginRegistry;
    __HALOFORGE_PLUGIN_HOST__?: HostBridge;
    __HF_DEVHOST__?: DevHostHint;
  }
}
