// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, expect, it, vi } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import SettingsPanel from "../../src/components/SettingsPanel.vue";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { useSettingsStore } from "../../src/stores/settings.store.ts";

afterEach(() => {
  clearMocks();
  localStorage.clear();
});

it("keeps a base URL being typed when the panel re-renders before the field is committed", async () => {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, apiKeySet: false }));
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale: "en" }))] } });
  const field = wrapper.get('[data-testid="base-url"]').element as HTMLInputElement;
  field.value = "https://typed.example/v1";
  field.dispatchEvent(new Event("input"));
  // Something else re-renders the panel (here another setting; in the host, the key status arriving).
  useSettingsStore().update({ maxRetries: 3 });
  await flushPromises();
  expect(field.value).toBe("https://typed.example/v1");
  field.dispatchEvent(new Event("change"));
  expect(useSettingsStore().activeProfile?.baseUrl).toBe("https://typed.example/v1");
  wrapper.unmount();
});

const mountSettings = (locale: "en" | "zh" = "en") => {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, apiKeySet: false }));
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(SettingsPanel, { global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale }))] }, attachTo: document.body });
};

it.each([
  ["en", "5", "Timeout (seconds): enter a whole number from 10 to 3600. Not saved; 300 stays in effect."],
  ["en", "1.5", "Timeout (seconds): enter a whole number from 10 to 3600. Not saved; 300 stays in effect."],
  ["zh", "", "超时（秒）：请输入 10 到 3600 之间的整数。未保存，仍使用 300。"],
] as const)("in %s, refuses timeout %j, keeps what was typed, names the label and range", async (locale, typed, message) => {
  const wrapper = mountSettings(locale);
  const store = useSettingsStore();
  const timeout = wrapper.get('[data-testid="setting-timeoutSeconds"]');
  await timeout.setValue(typed);
  await timeout.trigger("change");
  expect(store.activeProfile?.timeoutSeconds).toBe(300);
  expect((timeout.element as HTMLInputElement).value).toBe(typed);
  expect(timeout.attributes("aria-invalid")).toBe("true");
  expect(wrapper.get('[data-testid="setting-timeoutSeconds-error"]').text()).toBe(message);
  expect(wrapper.text()).not.toContain("timeoutSeconds");
  expect(JSON.parse(localStorage.getItem("hfmig.settings.v2") ?? "{}").profiles?.[0]?.timeoutSeconds).not.toBe(Number(typed));
  // Fixing the field takes the message away at once; committing saves it.
  await timeout.setValue("60");
  expect(wrapper.find('[data-testid="setting-timeoutSeconds-error"]').exists()).toBe(false);
  await timeout.trigger("change");
  expect(store.activeProfile?.timeoutSeconds).toBe(60);
  wrapper.unmount();
});

it("never saves 0 for cleared or lettered retries", async () => {
  const wrapper = mountSettings();
  const store = useSettingsStore();
  const retries = wrapper.get('[data-testid="setting-maxRetries"]');
  for (const typed of ["", "abc"]) {
    await retries.setValue(typed);
    await retries.trigger("change");
    expect(store.settings.maxRetries).toBe(2);
    expect(wrapper.get('[data-testid="setting-maxRetries-error"]').text()).toBe("Automatic retries: enter a whole number from 0 to 5. Not saved; 2 stays in effect.");
  }
  await retries.setValue("0");
  await retries.trigger("change");
  expect(store.settings.maxRetries).toBe(0);
  expect(wrapper.find('[data-testid="setting-maxRetries-error"]').exists()).toBe(false);
  wrapper.unmount();
});

it("refuses a default size that breaks the size rules, in English and Chinese", async () => {
  for (const [locale, typed, message] of [
    ["en", "huge", 'Default size: must be "auto", a preset such as 1024x1024, or WIDTHxHEIGHT. Not saved; 1024x1024 stays in effect.'],
    ["zh", "99999x1", "默认尺寸：宽和高都必须是 16 的倍数。未保存，仍使用 1024x1024。"],
  ] as const) {
    const wrapper = mountSettings(locale);
    const field = wrapper.get('[data-testid="default-size"]');
    await field.setValue(typed);
    await field.trigger("change");
    expect(useSettingsStore().activeProfile?.defaultSize).toBe("1024x1024");
    expect((field.element as HTMLInputElement).value).toBe(typed);
    expect(wrapper.get('[data-testid="default-size-error"]').text()).toBe(message);
    await field.setValue("1536x1024");
    await field.trigger("change");
    expect(useSettingsStore().activeProfile?.defaultSize).toBe("1536x1024");
    expect(wrapper.find('[data-testid="default-size-error"]').exists()).toBe(false);
    wrapper.unmount();
    localStorage.clear();
  }
});

it("confirms a save and closes on Esc", async () => {
  const wrapper = mountSettings("zh");
  expect(wrapper.get('[data-testid="settings-saved"]').text()).toBe("");
  const retries = wrapper.get('[data-testid="setting-maxRetries"]');
  await retries.setValue("3");
  await retries.trigger("change");
  expect(wrapper.get('[data-testid="settings-saved"]').text()).toBe("已保存。");
  await retries.trigger("keydown", { key: "Escape" });
  expect(wrapper.emitted("close")).toHaveLength(1);
  wrapper.unmount();
});

it("names a refused write by the setting's label, never its stored name", async () => {
  const wrapper = mountSettings("zh");
  expect(useSettingsStore().updateProfile("default", { timeoutSeconds: 5, partialImages: 9 })).toBe(false);
  await flushPromises();
  expect(wrapper.get('[data-testid="settings-rejected"]').text()).toBe("未保存：超时（秒）、预览数 超出允许范围；保留之前的值。");
  expect(useSettingsStore().update({ concurrency: 9 })).toBe(false);
  await flushPromises();
  expect(wrapper.get('[data-testid="settings-rejected"]').text()).toBe("未保存：同时请求数 超出允许范围；保留之前的值。");
  wrapper.unmount();
});

it("says when a save could not be stored instead of confirming it", async () => {
  const wrapper = mountSettings();
  const setItem = vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
    throw new DOMException("full", "QuotaExceededError");
  });
  const retries = wrapper.get('[data-testid="setting-maxRetries"]');
  await retries.setValue("1");
  await retries.trigger("change");
  expect(useSettingsStore().settings.maxRetries).toBe(1);
  expect(wrapper.get('[data-testid="settings-saved"]').text()).toBe("Applied, but it could not be stored: it lasts until the panel closes.");
  setItem.mockRestore();
  wrapper.unmount();
});
