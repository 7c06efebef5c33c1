import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { vi } from "vitest";

export type Sdk = typeof import("../src/index.ts");

export const ID = "dev.haloforge.managed-image-gateway";

/** A fresh SDK copy (module state reset), as each plugin bundle carries its own. */
export async function freshSdk(): Promise<Sdk> {
  vi.resetModules();
  return import("../src/index.ts");
}

/** A fresh SDK registered as this plugin (no host registry needed for that). */
export async function registeredSdk(): Promise<Sdk> {
  const sdk = await freshSdk();
  sdk.registerPlugin(ID, sdk.definePlugin({}));
  return sdk;
}

export interface IpcCall {
  cmd: string;
  payload: unknown;
}

/** Installs Tauri's IPC mock and records every invoke; `answer` decides what the fake host returns or throws. */
export function recordIpc(answer: (cmd: string, payload: unknown) => unknown = () => null): IpcCall[] {
  const calls: IpcCall[] = [];
  mockIPC((cmd, payload) => {
    calls.push({ cmd, payload });
    return answer(cmd, payload);
  });
  return calls;
}

export function resetHost(): void {
  clearMocks();
  vi.restoreAllMocks();
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
  delete window.__hf_plugin_registry;
  delete window.__HALOFORGE_PLUGIN_HOST__;
}
