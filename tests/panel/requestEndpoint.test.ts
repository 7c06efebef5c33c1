// @vitest-environment jsdom
// A request carries the endpoint profile as configured when it was made: a settings change while
// it waits in the queue, or another profile chosen, never reroutes it. And the panel's stores read and write only the storage
// their environment gives them.
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it, vi } from "vitest";
import { nextTick } from "vue";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { PROFILE_DEFAULTS } from "../../src/schemas/profile.ts";
import { SETTINGS_STORAGE_KEY, useSettingsStore } from "../../src/stores/settings.store.ts";
import { useFakeHost } from "./fakeHost.ts";
import { inTestApp, testApp, testEnvironment } from "./testEnvironment.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const profile = (id: string, name: string, baseUrl: string) => ({ ...PROFILE_DEFAULTS, id, name, baseUrl });
const generate = (prompt: string) => ({ operation: "generate", prompt, model: "gpt-image-1", size: "1024x1024", n: 1 });

useFakeHost();

/** The native backend: every image call waits until released; key commands say a key is set. */
function nativeBackend() {
  const calls: { requestId: string; baseUrl: string; profileId: string; release: () => void }[] = [];
  mockIPC((_command, payload) => {
    const { wire_name: wireName = "", args } = (payload as { args?: { wire_name?: string; args?: Record<string, unknown> } }).args ?? {};
    if (!wireName.endsWith("_generate_images")) return { ok: true, apiKeySet: true };
    const { requestId, endpoint } = args as { requestId: string; endpoint: { baseUrl: string; profileId: string } };
    return new Promise((resolve) => calls.push({ requestId, baseUrl: endpoint.baseUrl, profileId: endpoint.profileId, release: () => resolve({ ok: true, requestId, result: { data: [{ b64_json: PNG }] } }) }));
  });
  return calls;
}

describe("the endpoint a request is sent to", () => {
  it("is the one configured when the request was made, whatever the settings say when it leaves the queue", async () => {
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ gateway: "profile:default", concurrency: 1, profiles: [profile("default", "Relay", "https://first.example/v1")] }));
    const calls = nativeBackend();
    const app = testApp();
    const panel = app.runWithContext(() => usePanelStore());
    panel.submit(generate("made before the change"));
    panel.submit(generate("queued before the change"));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    app.runWithContext(() => useSettingsStore()).updateProfile("default", { baseUrl: "https://second.example/v1" });
    await nextTick();
    panel.submit(generate("made after the change"));
    calls[0]!.release();
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.release();
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls.map((call) => call.baseUrl)).toEqual(["https://first.example/v1", "https://first.example/v1", "https://second.example/v1"]);
    app.unmount();
  });

  it("stays with the profile chosen when it was made while another is chosen, and its card names that profile", async () => {
    const profiles = [profile("relay", "Relay", "https://relay.example/v1"), profile("azure", "Work Azure", "https://azure.example/openai/v1")];
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ gateway: "profile:relay", concurrency: 2, profiles }));
    const calls = nativeBackend();
    const app = testApp();
    const panel = app.runWithContext(() => usePanelStore());
    panel.submit(generate("through the relay"));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    app.runWithContext(() => useSettingsStore()).update({ gateway: "profile:azure" });
    await nextTick();
    panel.submit(generate("through azure"));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((call) => [call.profileId, call.baseUrl])).toEqual([
      ["relay", "https://relay.example/v1"],
      ["azure", "https://azure.example/openai/v1"],
    ]);
    calls.forEach((call) => call.release());
    await vi.waitFor(() => expect(panel.views.map((view) => view.phase)).toEqual(["succeeded", "succeeded"]));
    expect(panel.views.map((view) => view.profileName)).toEqual(["Relay", "Work Azure"]);
    app.unmount();
  });

  it("deleting the profile a running request uses lets it finish there; new requests cannot pick it", async () => {
    const profiles = [profile("relay", "Relay", "https://relay.example/v1"), profile("azure", "Work Azure", "https://azure.example/openai/v1")];
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ gateway: "profile:relay", defaultProfileId: "azure", profiles }));
    const calls = nativeBackend();
    const app = testApp();
    const panel = app.runWithContext(() => usePanelStore());
    const settings = app.runWithContext(() => useSettingsStore());
    panel.submit(generate("before the delete"));
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    panel.deleteProfile("relay");
    await nextTick();
    expect(settings.settings.gateway).toBe("auto");
    expect(settings.profiles.map((each) => each.id)).toEqual(["azure"]);
    expect(settings.update({ gateway: "profile:relay" })).toBe(false);
    calls[0]!.release();
    await vi.waitFor(() => expect(panel.views[0]?.phase).toBe("succeeded"));
    expect(panel.views[0]?.profileName).toBe("Relay");
    panel.submit(generate("after the delete"));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.profileId).toBe("azure");
    app.unmount();
  });
});

describe("the panel's storage", () => {
  it("is the environment's: settings and the draft are read from and written to it, never to the page's localStorage", () => {
    const kept = new Map([[SETTINGS_STORAGE_KEY, JSON.stringify({ profiles: [profile("default", "Relay", "https://stored.example/v1")] })]]);
    const storage = { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => void kept.set(key, value) };
    const settings = inTestApp(() => useSettingsStore(), testEnvironment({ storage }));
    expect(settings.activeProfile?.baseUrl).toBe("https://stored.example/v1");
    settings.update({ maxRetries: 1 });
    return vi.waitFor(() => {
      expect(JSON.parse(kept.get(SETTINGS_STORAGE_KEY)!)).toMatchObject({ profiles: [{ baseUrl: "https://stored.example/v1" }], maxRetries: 1 });
      expect(localStorage.length).toBe(0);
    });
  });
});
