import { listen } from "@tauri-apps/api/event";
import { hasHostIpc } from "./hostIpc.ts";

/**
 * Listens to a host event with Tauri's `listen`, as the official SDK's `useHostEvent` hook does,
 * without React; resolves to the function that stops listening. Rejects without Tauri IPC, or when
 * the host refuses the event name.
 */
export async function listenHostEvent<T>(event: string, handler: (payload: T) => void): Promise<() => void> {
  if (!hasHostIpc()) throw new Error("[plugin-sdk] listenHostEvent: the HaloForge host is not available (no Tauri IPC).");
  return listen<T>(event, (received) => handler(received.payload));
}
