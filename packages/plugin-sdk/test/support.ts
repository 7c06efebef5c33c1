import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { vi } from "vitest";

type Sdk = typeof import("../src/index.ts");

/** A fresh SDK copy (module state reset), as each plugin bundle carries its own. */
export async function freshSdk(): Promise<Sdk> {
  vi.resetModules();
  return import("../src/index.ts");
}

export interface IpcCall {
  cmd: string;
  payload: unknown;
}

/** Records every Tauri invoke; `answer` decides what the fake host returns or throws. */
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
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
  delete window.__hf_plugin_registry;
  delete window.__HALOFORGE_PLUGIN_HOST__;
}
