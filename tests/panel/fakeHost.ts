import { afterEach, beforeEach } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

/**
 * The host a mounted panel meets in these tests: the plugin registered, a native backend that
 * answers "no key set", empty storage, and an empty page after each test.
 */
export function useFakeHost(): void {
  beforeEach(() => {
    localStorage.clear();
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    mockIPC(() => ({ ok: true, apiKeySet: false }));
  });
  afterEach(() => {
    clearMocks();
    document.body.innerHTML = "";
  });
}
