// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import SettingsPanel from "../../src/components/SettingsPanel.vue";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { type Locale } from "../../src/i18n/i18n.ts";
import { useSettingsStore } from "../../src/stores/settings.store.ts";
import { usePanelStore } from "../../src/stores/panel.store.ts";

afterEach(() => {
  clearMocks();
  localStorage.clear();
});

/** The settings panel in `locale`, with the native backend answering `test_connection` with `answer`. */
async function openSettings(locale: Locale, answer: unknown) {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  // Plugin commands travel in the host's plugin_invoke, named by their wire name.
  mockIPC((_command, payload) => {
    const wireName = (payload as { args?: { wire_name?: string } } | undefined)?.args?.wire_name ?? "";
    return wireName.endsWith("_test_connection") ? answer : { ok: true, apiKeySet: false };
  });
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale }))] } });
  await flushPromises();
  return wrapper;
}

async function typeBaseUrl(wrapper: Awaited<ReturnType<typeof openSettings>>, url: string) {
  const field = wrapper.get('[data-testid="base-url"]');
  await field.setValue(url);
  await field.trigger("change");
}

describe("settings messages are in the panel's language", () => {
  it("names a base URL problem in Chinese", async () => {
    const wrapper = await openSettings("zh", {});
    await typeBaseUrl(wrapper, "ftp://files.example.com");
    expect(wrapper.get(".hfmig-error-text").text()).toBe("只支持 http 和 https URL。");
    wrapper.unmount();
  });

  it("words a connection test result in Chinese and in English", async () => {
    const answer = { ok: true, reachable: true, authAccepted: false, modelsListed: false, status: 401 };
    for (const [locale, expected] of [
      ["zh", "可以访问，但密钥被拒绝（HTTP 401）。"],
      ["en", "Reachable, but the key was refused (HTTP 401)."],
    ] as const) {
      const wrapper = await openSettings(locale, answer);
      await typeBaseUrl(wrapper, "https://api.example.com/v1");
      await wrapper.get('[data-testid="test-connection"]').trigger("click");
      await flushPromises();
      expect(wrapper.get('[data-testid="connection-result"]').text()).toBe(expected);
      wrapper.unmount();
    }
  });

  it("words a failed test from its code in the panel's language, never with the backend's own sentence", async () => {
    const error = { code: "network", reason: "connect_failed", message: "Could not connect to the endpoint: connection refused for sk-live-abcdefghijklmnop1234" };
    for (const [locale, expected] of [
      ["en", "The endpoint could not be reached."],
      ["zh", "无法连接到端点。"],
    ] as const) {
      const wrapper = await openSettings(locale, { ok: false, error });
      await typeBaseUrl(wrapper, "https://api.example.com/v1");
      await wrapper.get('[data-testid="test-connection"]').trigger("click");
      await flushPromises();
      expect(wrapper.get('[data-testid="connection-result"]').text()).toBe(expected);
      wrapper.unmount();
    }
  });
});

describe("the write-only API key field", () => {
  it("sends the key on Enter, forgets it in the field, and shows only that a key is set", async () => {
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    const sent: unknown[] = [];
    mockIPC((_command, payload) => {
      const { wire_name: wireName = "", args } = (payload as { args?: { wire_name?: string; args?: unknown } } | undefined)?.args ?? {};
      if (wireName.endsWith("_set_api_key")) sent.push(args);
      return { ok: true, apiKeySet: sent.length > 0 };
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale: "en" }))] } });
    await flushPromises();
    await wrapper.get('[data-testid="base-url"]').setValue("https://images.example.com/v1");
    await wrapper.get('[data-testid="base-url"]').trigger("change");
    const field = wrapper.get('[data-testid="api-key"]');
    await field.setValue("sk-test-0123456789abcdef");
    await field.trigger("keydown", { key: "a" });
    expect(sent).toEqual([]);
    await field.trigger("keydown", { key: "Enter" });
    await flushPromises();
    // For today's single endpoint, and for the address it calls: only that origin will get it.
    expect(sent).toEqual([{ profileId: "default", baseUrl: "https://images.example.com/v1", apiKey: "sk-test-0123456789abcdef" }]);
    expect((field.element as HTMLInputElement).value).toBe("");
    expect(wrapper.get('[data-testid="key-status"]').text()).toBe("A key is stored by the native backend.");
    expect(wrapper.html()).not.toContain("0123456789abcdef");
    wrapper.unmount();
  });
});

describe("connection and key results are facts of the core", () => {
  it("a connection test that succeeds proves the custom endpoint: its status turns green", async () => {
    const wrapper = await openSettings("en", { ok: true, reachable: true, authAccepted: true, modelsListed: true, modelCount: 3, status: 200 });
    useSettingsStore().update({ gateway: "profile:default" });
    await typeBaseUrl(wrapper, "https://images.example.com/v1");
    const panel = usePanelStore();
    expect(panel.status).toMatchObject({ status: "available", labelKey: "custom", tone: "neutral", proof: "customUntried" });
    await wrapper.get('[data-testid="test-connection"]').trigger("click");
    await flushPromises();
    expect(panel.status).toMatchObject({ tone: "ok", proof: "customVerified" });
    // Another base URL is another endpoint: not proven yet.
    await typeBaseUrl(wrapper, "https://other.example.com/v1");
    expect(panel.status).toMatchObject({ tone: "neutral", proof: "customUntried" });
    wrapper.unmount();
  });

  it("a connection test whose key is refused, or that cannot reach the endpoint, says so in the status", async () => {
    for (const [answer, expected] of [
      [{ ok: true, reachable: true, authAccepted: false, modelsListed: false, status: 401 }, { tone: "bad", proof: "customKeyRefused" }],
      [{ ok: false, error: { code: "network", reason: "connect_failed", message: "Could not connect" } }, { tone: "warn", proof: "customFailing", failure: { key: "network" } }],
    ] as const) {
      const wrapper = await openSettings("en", answer);
      useSettingsStore().update({ gateway: "profile:default" });
      await typeBaseUrl(wrapper, "https://images.example.com/v1");
      await wrapper.get('[data-testid="test-connection"]').trigger("click");
      await flushPromises();
      expect(usePanelStore().status).toMatchObject(expected);
      wrapper.unmount();
    }
  });

  it("drops a late test answer for a URL that was changed meanwhile: no result, and the new URL stays unproven", async () => {
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    let answer: (value: unknown) => void = () => undefined;
    mockIPC((_command, payload) => {
      const wireName = (payload as { args?: { wire_name?: string } } | undefined)?.args?.wire_name ?? "";
      return wireName.endsWith("_test_connection") ? new Promise((resolve) => (answer = resolve)) : { ok: true, apiKeySet: false };
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment())] } });
    await flushPromises();
    useSettingsStore().update({ gateway: "profile:default" });
    await typeBaseUrl(wrapper, "https://first.example.com/v1");
    await wrapper.get('[data-testid="test-connection"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="test-connection"]').attributes("disabled")).toBeDefined();
    await typeBaseUrl(wrapper, "https://second.example.com/v1");
    answer({ ok: true, reachable: true, authAccepted: true, modelsListed: true, modelCount: 3, status: 200 });
    await flushPromises();
    expect(wrapper.find('[data-testid="connection-result"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="test-connection"]').attributes("disabled")).toBeUndefined();
    expect(usePanelStore().status).toMatchObject({ proof: "customUntried" });
    wrapper.unmount();
  });
});
