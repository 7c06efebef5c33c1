// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, expect, it } from "vitest";
import { ref } from "vue";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import SettingsPanel from "../../src/components/SettingsPanel.vue";
import { I18N_KEY } from "../../src/composables/useI18n.ts";
import { createTranslator } from "../../src/i18n/i18n.ts";
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
  const wrapper = mount(SettingsPanel, { global: { plugins: [pinia], provide: { [I18N_KEY as symbol]: createTranslator(ref("en")).t } } });
  const field = wrapper.get('[data-testid="base-url"]').element as HTMLInputElement;
  field.value = "https://typed.example/v1";
  field.dispatchEvent(new Event("input"));
  // Something else re-renders the panel (here another setting; in the host, the key status arriving).
  useSettingsStore().update({ maxRetries: 3 });
  await flushPromises();
  expect(field.value).toBe("https://typed.example/v1");
  field.dispatchEvent(new Event("change"));
  expect(useSettingsStore().settings.baseUrl).toBe("https://typed.example/v1");
  wrapper.unmount();
});

it("refuses a setting outside its rule when it is written, says so, and keeps the previous value", async () => {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, apiKeySet: false }));
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(SettingsPanel, { global: { plugins: [pinia], provide: { [I18N_KEY as symbol]: createTranslator(ref("en")).t } } });
  const store = useSettingsStore();
  const timeout = wrapper.findAll('input[type="number"]')[0]!;
  const commit = async (value: string) => {
    (timeout.element as HTMLInputElement).value = value;
    await timeout.trigger("change");
  };
  await commit("5");
  expect(store.settings.timeoutSeconds).toBe(300);
  // The field shows the kept value again.
  expect((timeout.element as HTMLInputElement).value).toBe("300");
  expect(wrapper.get('[data-testid="settings-rejected"]').text()).toContain("timeoutSeconds");
  expect(JSON.parse(localStorage.getItem("hfmig.settings.v1") ?? "{}").timeoutSeconds).not.toBe(5);
  await commit("60");
  expect(store.settings.timeoutSeconds).toBe(60);
  expect(wrapper.find('[data-testid="settings-rejected"]').exists()).toBe(false);
  wrapper.unmount();
});
