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
