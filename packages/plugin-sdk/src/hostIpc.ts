import { invoke } from "@tauri-apps/api/core";

declare global {
  interface Window {
    __TAURI_INTERNALS__?: { invoke: unknown };
  }
}

export function hasHostIpc(): boolean {
  return typeof window !== "undefined" && typeof window.__TAURI_INTERNALS__?.invoke === "function";
}

/**
 * Tauri's invoke. Without Tauri IPC, Tauri itself fails with an opaque TypeError, so reject first
 * with an error that names the caller, what is missing and what to do.
 */
export function hostInvoke<T>(caller: string, command: string, args?: Record<string, unknown>): Promise<T> {
  if (!hasHostIpc()) {
    return Promise.reject(
      new Error(
        `[plugin-sdk] ${caller}: the HaloForge host is not available (no Tauri IPC). Run the plugin inside HaloForge or the dev host (npm run dev).`,
      ),
    );
  }
  return invoke<T>(command, args);
}
