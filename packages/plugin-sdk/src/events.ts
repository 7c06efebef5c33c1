import { invoke, transformCallback } from "@tauri-apps/api/core";
import { hasHostIpc } from "./hostIpc.ts";

/** Tauri's event plugin keeps the page side of each listener here; unlisten drops it first. */
type EventInternals = { __TAURI_EVENT_PLUGIN_INTERNALS__?: { unregisterListener(event: string, eventId: number): void } };

/**
 * Listens to a host event as the official SDK's `useHostEvent` hook does, without React; resolves
 * to the function that stops listening. Rejects without Tauri IPC, or when the host refuses the
 * event name. The calls are those of Tauri's `listen` (`@tauri-apps/api/event`, test/events.test.ts
 * compares them): importing that module would also bundle its table of Tauri's own event names.
 */
export async function listenHostEvent<T>(event: string, handler: (payload: T) => void): Promise<() => void> {
  if (!hasHostIpc()) throw new Error("[plugin-sdk] listenHostEvent: the HaloForge host is not available (no Tauri IPC).");
  const eventId = await invoke<number>("plugin:event|listen", { event, target: { kind: "Any" }, handler: transformCallback((received: { payload: T }) => handler(received.payload)) });
  return () => {
    (window as EventInternals).__TAURI_EVENT_PLUGIN_INTERNALS__?.unregisterListener(event, eventId);
    void invoke("plugin:event|unlisten", { event, eventId });
  };
}
