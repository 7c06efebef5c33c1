// @vitest-environment jsdom

import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import { ref } from "vue";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { recordFromInput } from "../../src/history/historyRecord.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { createTranslator } from "../../src/i18n/i18n.ts";

const testT = (locale: "en" | "zh") => createTranslator(ref(locale)).t;
import { englishIn } from "./englishIn.ts";
import { useFakeHost } from "./fakeHost.ts";

useFakeHost();

/** The accessible name the way assistive technology finds it for our controls. */
function accessibleName(element: Element): string {
  const labelled = element.getAttribute("aria-label");
  if (labelled) return labelled;
  const id = element.getAttribute("id");
  const forLabel = id ? document.querySelector(`label[for="${id}"]`) : null;
  const wrapping = element.closest("label");
  if (element.tagName === "BUTTON") return element.textContent?.trim() ?? "";
  return (forLabel ?? wrapping)?.textContent?.trim() ?? "";
}

async function mountEverything(locale: "en" | "zh") {
  const record = { ...recordFromInput("r1", 1, { operation: "generate", prompt: USER_PROMPT, model: "gpt-image-1", size: "auto", n: 1 })!, status: "succeeded" as const };
  const environment = testEnvironment({ locale, historyBackend: () => memoryHistory([record]) });
  const wrapper = mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
  await flushPromises();
  await wrapper.get('[data-testid="mode-edit"]').trigger("click");
  // A reference with the mask painter open, so its tools and keyboard hint are checked too.
  const picker = wrapper.get('[data-testid="reference-input"]');
  Object.defineProperty(picker.element, "files", { value: [new File([new Uint8Array(8)], USER_FILE, { type: "image/png" })], configurable: true });
  await picker.trigger("change");
  await wrapper.get('[data-testid="paint-mask"]').trigger("click");
  await wrapper.get('[aria-label="' + testT(locale)("settings.open") + '"]').trigger("click");
  await wrapper.get('[data-testid="profile-dialect"]').setValue("responses");
  return wrapper;
}

const USER_PROMPT = "lighthouse at dusk";
const USER_FILE = "cat.png";

describe("accessibility", () => {
  it.each(["en", "zh"] as const)("gives every control an accessible name (%s)", async (locale) => {
    const wrapper = await mountEverything(locale);
    const controls = [...document.querySelectorAll(".hfmig-root button, .hfmig-root input, .hfmig-root select, .hfmig-root textarea")];
    expect(controls.length).toBeGreaterThan(25);
    for (const control of controls) expect(accessibleName(control), control.outerHTML.slice(0, 120)).not.toBe("");
    // Icon buttons (no text of their own) each have a name of their own and show it as a tooltip.
    const iconButtons = controls.filter((control) => control.tagName === "BUTTON" && !control.textContent?.trim());
    expect(iconButtons.length).toBeGreaterThan(3);
    for (const button of iconButtons) {
      expect(button.getAttribute("title"), button.outerHTML.slice(0, 120)).toBe(button.getAttribute("aria-label"));
    }
    // A row's buttons say which row: no two history or card buttons share a name.
    const repeated = [...document.querySelectorAll(".hfmig-history-row button, .hfmig-history-row input, .hfmig-request-actions button")].map((control) => accessibleName(control));
    expect(repeated.length).toBeGreaterThan(3);
    expect(new Set(repeated).size).toBe(repeated.length);
    wrapper.unmount();
  });

  it("shows no English UI text in Chinese beyond brand, model and format names", async () => {
    const english = await mountEverything("en");
    // The same walk finds the English panel's strings, so an untranslated one cannot hide from it.
    expect(englishIn(document.querySelector(".hfmig-root")!).length).toBeGreaterThan(30);
    english.unmount();
    const wrapper = await mountEverything("zh");
    // The first profile was named in English by the English panel: its name is the user's now.
    expect(englishIn(document.querySelector(".hfmig-root")!, [USER_PROMPT, USER_FILE, "Custom endpoint"])).toEqual([]);
    wrapper.unmount();
  });

  it("makes each segmented control one radio group with one tab stop, moved by arrow keys, Home and End", async () => {
    const wrapper = await mountEverything("en");
    const groups = [...document.querySelectorAll<HTMLElement>('.hfmig-root [role="radiogroup"]')];
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const group of groups) {
      const radios = [...group.querySelectorAll<HTMLElement>('[role="radio"]')];
      expect(radios.filter((radio) => radio.tabIndex === 0)).toHaveLength(1);
      expect(radios.find((radio) => radio.tabIndex === 0)?.getAttribute("aria-checked")).toBe("true");
    }
    const mode = wrapper.get('[data-testid="mode-edit"]');
    expect(mode.attributes("aria-checked")).toBe("true");
    await mode.trigger("keydown", { key: "ArrowRight" });
    expect(wrapper.get('[data-testid="mode-generate"]').attributes("aria-checked")).toBe("true");
    expect(document.activeElement).toBe(wrapper.get('[data-testid="mode-generate"]').element);
    await wrapper.get('[data-testid="mode-generate"]').trigger("keydown", { key: "End" });
    expect(wrapper.get('[data-testid="mode-edit"]').attributes("aria-checked")).toBe("true");
    expect(wrapper.get('[data-testid="mode-edit"]').attributes("tabindex")).toBe("0");
    expect(wrapper.get('[data-testid="mode-generate"]').attributes("tabindex")).toBe("-1");
    const gatewayRadios = groups[0]!.querySelectorAll<HTMLElement>('[role="radio"]');
    gatewayRadios[0]!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowLeft", bubbles: true }));
    await flushPromises();
    expect(gatewayRadios[gatewayRadios.length - 1]!.getAttribute("aria-checked")).toBe("true");
    wrapper.unmount();
  });
});
