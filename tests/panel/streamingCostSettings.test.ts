// @vitest-environment jsdom
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, expect, it } from "vitest";
import StreamingCostSettings from "../../src/components/StreamingCostSettings.vue";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { type Locale } from "../../src/i18n/i18n.ts";
import { SETTINGS_STORAGE_KEY, useSettingsStore } from "../../src/stores/settings.store.ts";

afterEach(() => localStorage.clear());

function open(locale: Locale = "en") {
  const pinia = createPinia();
  setActivePinia(pinia);
  const wrapper = mount(StreamingCostSettings, { props: { profileId: "default" }, global: { plugins: [pinia, panelEnvironment(testEnvironment({ locale }))] } });
  const store = useSettingsStore();
  return { wrapper, store, profile: () => store.profileById("default")! };
}

it("says previews are billed, offers 1 to 3 per image once on, and persists the choice", async () => {
  const { wrapper, profile } = open();
  expect(wrapper.text()).toContain("each is billed as extra output");
  expect(wrapper.find('[data-testid="partial-images"]').exists()).toBe(false);
  await wrapper.get('[data-testid="stream-partials"]').setValue(true);
  await wrapper.get('[data-testid="partial-images"]').setValue("3");
  expect(profile()).toMatchObject({ streamPartials: true, partialImages: 3 });
  await flushPromises();
  expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY)!)).toMatchObject({ profiles: [{ id: "default", streamPartials: true, partialImages: 3 }] });
});

it("names the bad price line, keeps what was typed and the saved prices, and saves once it is fixed", async () => {
  const { wrapper, profile } = open();
  const field = wrapper.get<HTMLTextAreaElement>('[data-testid="prices"]');
  await field.setValue("gpt-image-1 4 8 32");
  await field.trigger("change");
  expect(profile().prices).toBe("gpt-image-1 4 8 32");
  await field.setValue("gpt-image-1 4 8 32\ndall-e-3 cheap");
  await field.trigger("change");
  expect(wrapper.get('[data-testid="prices-error"]').text()).toBe("Line 2: a model, then 1 or 3 prices ≥ 0");
  expect(field.element.value).toBe("gpt-image-1 4 8 32\ndall-e-3 cheap");
  expect(profile().prices).toBe("gpt-image-1 4 8 32");
  await field.setValue("gpt-image-1 4 8 32\ndall-e-3 0.05");
  await field.trigger("change");
  expect(wrapper.find('[data-testid="prices-error"]').exists()).toBe(false);
  expect(profile().prices).toBe("gpt-image-1 4 8 32\ndall-e-3 0.05");
});
