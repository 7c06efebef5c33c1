// @vitest-environment jsdom
// The settings' endpoint profiles as a user meets them: added from a preset, a taken name refused,
// a pasted Target URI split with a notice (English and Chinese), a key asked for again once the
// base URL moves to another origin, a delete that takes the key with it, and the upgrade of an
// earlier version's settings calling adopt_legacy_key once.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import SettingsPanel from "../../src/components/SettingsPanel.vue";
import type { Locale } from "../../src/i18n/i18n.ts";
import { PROFILE_DEFAULTS } from "../../src/schemas/profile.ts";
import { usePanelStore } from "../../src/stores/panel.store.ts";
import { LEGACY_SETTINGS_KEY, SETTINGS_STORAGE_KEY, useSettingsStore } from "../../src/stores/settings.store.ts";
import { inTestApp, panelEnvironment, testEnvironment } from "./testEnvironment.ts";

afterEach(() => {
  clearMocks();
  localStorage.clear();
});

/** The native backend: records every command with its arguments; answers key commands. */
function nativeBackend(adopted = false) {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  const commands: { command: string; args: Record<string, unknown> }[] = [];
  mockIPC((_command, payload) => {
    const { wire_name: wireName = "", args = {} } = (payload as { args?: { wire_name?: string; args?: Record<string, unknown> } }).args ?? {};
    const command = wireName.replace("plugin_dev_haloforge_managed_image_gateway_", "");
    commands.push({ command, args });
    if (command === "adopt_legacy_key") return { ok: true, adopted, ...(adopted ? { storage: "file" } : {}) };
    return { ok: true, apiKeySet: command === "set_api_key" };
  });
  return commands;
}

async function openSettings(locale: Locale = "en") {
  const commands = nativeBackend();
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale }))] } });
  await flushPromises();
  return { wrapper, commands, store: useSettingsStore() };
}

describe("endpoint profiles in the settings", () => {
  it("adds a profile from a preset with its provider's fields, and refuses a name another profile has", async () => {
    const { wrapper, store } = await openSettings();
    await wrapper.get('[data-testid="profile-preset"]').setValue("google-gemini");
    await wrapper.get('[data-testid="profile-add"]').trigger("click");
    expect(store.profiles.map((profile) => profile.name)).toEqual(["Custom endpoint", "Google Gemini"]);
    expect(store.profiles[1]).toMatchObject({ preset: "google-gemini", baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai", auth: "bearer", defaultModel: "imagen-4.0-generate-001" });
    expect((wrapper.get('[data-testid="base-url"]').element as HTMLInputElement).value).toBe("https://generativelanguage.googleapis.com/v1beta/openai");
    const name = wrapper.get('[data-testid="profile-name"]');
    await name.setValue(" custom ENDPOINT ");
    await name.trigger("change");
    expect(wrapper.get('[data-testid="profile-name-error"]').text()).toBe("Another profile already has this name; choose another.");
    expect(store.profiles[1]!.name).toBe("Google Gemini");
    await wrapper.get('[data-testid="profile-duplicate"]').trigger("click");
    expect(store.profiles.map((profile) => profile.name)).toEqual(["Custom endpoint", "Google Gemini", "Google Gemini copy"]);
    wrapper.unmount();
  });

  it.each([
    ["en", "Moved the operation path, the deployment, the API version from the pasted URL into their own fields."],
    ["zh", "已把粘贴的 URL 中的操作路径、部署名、API 版本移到各自的字段。"],
  ] as const)("splits a pasted Azure Target URI into its fields with a notice (%s)", async (locale, notice) => {
    const { wrapper, store } = await openSettings(locale);
    const field = wrapper.get('[data-testid="base-url"]');
    await field.setValue("https://res.openai.azure.com/openai/deployments/img/images/generations?api-version=2025-04-01-preview");
    await field.trigger("change");
    expect(wrapper.get('[data-testid="url-split"]').text()).toBe(notice);
    expect(store.profiles[0]).toMatchObject({ baseUrl: "https://res.openai.azure.com/openai", deployment: "img", apiVersion: "2025-04-01-preview", dialect: "azure", auth: "api-key" });
    expect((wrapper.get('[data-testid="profile-deployment"]').element as HTMLInputElement).value).toBe("img");
    wrapper.unmount();
  });

  it("saves a key for the profile's origin and asks for it again when the base URL moves to another origin", async () => {
    const { wrapper, commands, store } = await openSettings();
    const field = wrapper.get('[data-testid="base-url"]');
    await field.setValue("https://relay.example/v1");
    await field.trigger("change");
    await wrapper.get('[data-testid="api-key"]').setValue("sk-relay-0123456789");
    await wrapper.get('[data-testid="save-key"]').trigger("click");
    await flushPromises();
    expect(commands.find((each) => each.command === "set_api_key")?.args).toEqual({ profileId: "default", baseUrl: "https://relay.example/v1", apiKey: "sk-relay-0123456789" });
    expect(store.profiles[0]!.keyOrigin).toBe("https://relay.example");
    expect(wrapper.find('[data-testid="key-origin-moved"]').exists()).toBe(false);
    await field.setValue("https://relay.example/other/v1");
    await field.trigger("change");
    expect(wrapper.find('[data-testid="key-origin-moved"]').exists()).toBe(false);
    await field.setValue("https://elsewhere.example/v1");
    await field.trigger("change");
    expect(wrapper.get('[data-testid="key-origin-moved"]').text()).toBe("The key was saved for https://relay.example: enter it again for this URL.");
    wrapper.unmount();
  });

  it("deletes a profile only once confirmed, and its key with it", async () => {
    const { wrapper, commands, store } = await openSettings();
    await wrapper.get('[data-testid="profile-add"]').trigger("click");
    const added = store.profiles[1]!.id;
    await wrapper.get('[data-testid="profile-delete"]').trigger("click");
    expect(store.profiles).toHaveLength(2);
    expect(wrapper.get('[data-testid="profile-delete-confirm"]').text()).toContain("Delete “OpenAI” and its stored key?");
    await wrapper.get('[data-testid="profile-delete-yes"]').trigger("click");
    await flushPromises();
    expect(store.profiles.map((profile) => profile.id)).toEqual(["default"]);
    expect(commands.filter((each) => each.command === "clear_api_key").map((each) => each.args)).toEqual([{ profileId: added }]);
    wrapper.unmount();
  });

  it("refuses extra headers that would carry a credential, naming the line", async () => {
    const { wrapper, store } = await openSettings("zh");
    const headers = wrapper.get('[data-testid="profile-headers"]');
    await headers.setValue("X-Team: art\nAuthorization: Bearer sk-x");
    await headers.trigger("change");
    expect(wrapper.get('[data-testid="profile-headers-error"]').text()).toBe("第 2 行未保存：请写成“名称: 值”；密钥请填在 API 密钥字段。");
    expect(store.profiles[0]!.extraHeaders).toEqual({});
    await headers.setValue("X-Team: art");
    await headers.trigger("change");
    expect(store.profiles[0]!.extraHeaders).toEqual({ "X-Team": "art" });
    wrapper.unmount();
  });
});

describe("models per profile", () => {
  it("Test connection lists the profile's models, kept per profile with their time, as suggestions only", async () => {
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    mockIPC((_command, payload) => {
      const wireName = (payload as { args?: { wire_name?: string } }).args?.wire_name ?? "";
      if (wireName.endsWith("_test_connection")) return { ok: true, reachable: true, authAccepted: true, modelsListed: true, modelCount: 3, status: 200 };
      if (wireName.endsWith("_list_models")) return { ok: true, models: [{ id: "gpt-image-1", image: true }, { id: "gpt-4.1", image: false }, { id: "imagen-4", image: true }], fetchedAt: 1_700_000_000_000 };
      return { ok: true, apiKeySet: false };
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment())] } });
    await flushPromises();
    const field = wrapper.get('[data-testid="base-url"]');
    await field.setValue("https://relay.example/v1");
    await field.trigger("change");
    await wrapper.get('[data-testid="test-connection"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="connection-result"]').text()).toBe("Connected: 3 models listed.");
    expect(wrapper.get('[data-testid="profile-models"]').text()).toContain("gpt-image-1, imagen-4");
    expect(JSON.parse(localStorage.getItem("hfmig.models.v1")!)).toEqual({ default: { models: expect.any(Array), fetchedAt: 1_700_000_000_000 } });
    const suggested = [...wrapper.findAll("#hfmig-profile-models option")].map((option) => option.attributes("value"));
    expect(suggested.slice(0, 2)).toEqual(["gpt-image-1", "imagen-4"]);
    // The model field still takes a model the profile does not list.
    const model = wrapper.get('[data-testid="default-model"]');
    await model.setValue("my-own-model");
    await model.trigger("change");
    expect(useSettingsStore().profiles[0]!.defaultModel).toBe("my-own-model");
    wrapper.unmount();
  });
});

describe("the upgrade of an earlier version's settings", () => {
  it("makes them the profile \"default\", moves the old key to it once, and remembers the key's origin", async () => {
    localStorage.setItem(LEGACY_SETTINGS_KEY, JSON.stringify({ mode: "custom", baseUrl: "relay.example/v1", maxRetries: 4 }));
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    const commands: { command: string; args: Record<string, unknown> }[] = [];
    mockIPC((_command, payload) => {
      const { wire_name: wireName = "", args = {} } = (payload as { args?: { wire_name?: string; args?: Record<string, unknown> } }).args ?? {};
      commands.push({ command: wireName.replace("plugin_dev_haloforge_managed_image_gateway_", ""), args });
      return wireName.endsWith("adopt_legacy_key") ? { ok: true, adopted: true, storage: "file" } : { ok: true, apiKeySet: true };
    });
    const panel = inTestApp(() => usePanelStore());
    const settings = useSettingsStore();
    await flushPromises();
    expect(commands.filter((each) => each.command === "adopt_legacy_key").map((each) => each.args)).toEqual([{ profileId: "default", baseUrl: "https://relay.example/v1" }]);
    expect(settings.settings).toMatchObject({ gateway: "profile:default", maxRetries: 4, legacyKeyProfileId: "" });
    expect(settings.profiles[0]).toMatchObject({ id: "default", baseUrl: "relay.example/v1", keyOrigin: "https://relay.example" });
    expect(panel.keyOf("default")).toMatchObject({ set: true });
    expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY)!)).toMatchObject({ legacyKeyProfileId: "" });
    // The next load reads the new settings: nothing is adopted again.
    const again = inTestApp(() => usePanelStore());
    await flushPromises();
    expect(commands.filter((each) => each.command === "adopt_legacy_key")).toHaveLength(1);
    expect(again.keyOf("default")).toMatchObject({ set: true });
  });

  it("tries the move again on the next load when the command failed", async () => {
    localStorage.setItem(LEGACY_SETTINGS_KEY, JSON.stringify({ mode: "auto", baseUrl: "https://relay.example/v1" }));
    registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
    let adoptCalls = 0;
    mockIPC((_command, payload) => {
      const wireName = (payload as { args?: { wire_name?: string } }).args?.wire_name ?? "";
      if (!wireName.endsWith("adopt_legacy_key")) return { ok: true, apiKeySet: false };
      adoptCalls += 1;
      if (adoptCalls === 1) throw new Error("IPC down");
      return { ok: true, adopted: false };
    });
    inTestApp(() => usePanelStore());
    await flushPromises();
    expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY)!)).toMatchObject({ legacyKeyProfileId: "default" });
    inTestApp(() => usePanelStore());
    await flushPromises();
    expect(adoptCalls).toBe(2);
    expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY)!)).toMatchObject({ legacyKeyProfileId: "" });
  });
});

describe("a fix made to the profile a request went through", () => {
  it("turns streaming on for that profile only, and for no profile that is gone", () => {
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ profiles: [{ ...PROFILE_DEFAULTS, id: "a", name: "A" }, { ...PROFILE_DEFAULTS, id: "b", name: "B" }] }));
    const settings = inTestApp(() => useSettingsStore());
    expect(settings.enableStreaming("b")).toBe(true);
    expect(settings.profiles.map((profile) => profile.streamPartials)).toEqual([false, true]);
    expect(settings.enableStreaming("gone")).toBe(false);
  });
});
