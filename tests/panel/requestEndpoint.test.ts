// @vitest-environment jsdom
// A request carries the custom endpoint as configured when it was made: a settings change while it
// waits in the queue never reroutes it. And the panel's stores read and write only the storage
// their environment gives them.
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it, vi } from "vitest";
import { nextTick } from "vue";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { SETTINGS_STORAGE_KEY, useSettingsStore } from "../../src/stores/settings.store.ts";
import { useFakeHost } from "./fakeHost.ts";
import { inTestApp, testApp, testEnvironment } from "./testEnvironment.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const generate = (prompt: string) => ({ operation: "generate", prompt, model: "gpt-image-1", size: "1024x1024", n: 1 });

useFakeHost();

/** The native backend: every image call waits until released; key commands say a key is set. */
function nativeBackend() {
  const calls: { requestId: string; baseUrl: string; release: () => void }[] = [];
  mockIPC((_command, payload) => {
    const { wire_name: wireName = "", args } = (payload as { args?: { wire_name?: string; args?: Record<string, unknown> } }).args ?? {};
    if (!wireName.endsWith("_generate_images")) return { ok: true, apiKeySet: true };
    const { requestId, endpoint } = args as { requestId: string; endpoint: { baseUrl: string } };
    return new Promise((resolve) => calls.push({ requestId, baseUrl: endpoint.baseUrl, release: () => resolve({ ok: true, requestId, result: { data: [{ b64_json: PNG }] } }) }));
  });
  return calls;
}

describe("the endpoint a request is sent to", () => {
  it("is the one configured when the request was made, whatever the settings say when it leaves the queue", async () => {
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ mode: "custom", baseUrl: "https://first.example/v1", concurrency: 1 }));
    const calls = nativeBackend();
    const app = testApp();
    const panel = app.runWithContext(() => usePanelStore());
    panel.submit(generate("made before the change"));
    panel.submit(generate("queued before the change"));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    app.runWithContext(() => useSettingsStore()).update({ baseUrl: "https://second.example/v1" });
    await nextTick();
    panel.submit(generate("made after the change"));
    calls[0]!.release();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.release();
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls.map((call) => call.baseUrl)).toEqual(["https://first.example/v1", "https://first.example/v1", "https://second.example/v1"]);
    app.unmount();
  });
});

describe("the panel's storage", () => {
  it("is the environment's: settings and the draft are read from and written to it, never to the page's localStorage", () => {
    const kept = new Map([[SETTINGS_STORAGE_KEY, JSON.stringify({ baseUrl: "https://stored.example/v1" })]]);
    const storage = { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => void kept.set(key, value) };
    const settings = inTestApp(() => useSettingsStore(), testEnvironment({ storage }));
    expect(settings.settings.baseUrl).toBe("https://stored.example/v1");
    settings.update({ maxRetries: 1 });
    return vi.waitFor(() => {
      expect(JSON.parse(kept.get(SETTINGS_STORAGE_KEY)!)).toMatchObject({ baseUrl: "https://stored.example/v1", maxRetries: 1 });
      expect(localStorage.length).toBe(0);
    });
  });
});
