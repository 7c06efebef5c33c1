// @vitest-environment jsdom
import { mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { mountPanel } from "../../src/app/mountPanel.ts";
import { DRAFT_STORAGE_KEY } from "../../src/stores/draft.store.ts";
import { SETTINGS_STORAGE_KEY } from "../../src/stores/settings.store.ts";
import { PROFILE_DEFAULTS } from "../../src/schemas/profile.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { useFakeHost } from "./fakeHost.ts";

const B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

useFakeHost();

function mountProductionPanel(locale: "en" | "zh" = "en") {
  return mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(testEnvironment({ locale }))] }, attachTo: document.body });
}

describe("the panel (development build, mock gateway)", () => {
  it("generates through the mock gateway in Auto and keeps the draft", async () => {
    const element = document.createElement("div");
    document.body.append(element);
    const unmount = mountPanel(element);
    await flushPromises();
    expect(element.querySelector('[data-testid="gateway-label"]')?.textContent).toBe("Mock gateway");

    const prompt = element.querySelector<HTMLTextAreaElement>('[data-testid="prompt"]')!;
    prompt.value = "a lighthouse at dusk";
    prompt.dispatchEvent(new Event("input"));
    await flushPromises();
    expect(JSON.parse(localStorage.getItem(DRAFT_STORAGE_KEY)!).prompt).toBe("a lighthouse at dusk");

    prompt.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
    await vi.waitFor(() => expect(element.querySelectorAll('[data-testid="gallery-image"]')).toHaveLength(1), { timeout: 3_000 });
    expect(element.querySelector('[data-testid="request"]')?.getAttribute("data-phase")).toBe("succeeded");
    unmount();
  });
});

describe("the panel (production build)", () => {
  it("says why no gateway is usable and opens settings to fix it", async () => {
    const wrapper = mountProductionPanel();
    await flushPromises();
    expect(wrapper.get('[data-testid="gateway-reason"]').text()).toBe(
      "No image gateway is available. Configure a custom endpoint or sign in to HaloForge Cloud.",
    );
    expect(wrapper.text()).not.toContain("Mock");
    await wrapper.get('[data-testid="gateway-status"] button').trigger("click");
    expect(wrapper.find('[data-testid="settings"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("says once, with the reason, when Auto moves to another gateway because a setting changed", async () => {
    const wrapper = mountProductionPanel();
    await flushPromises();
    expect(wrapper.find('[data-testid="gateway-notice"]').exists()).toBe(false);
    await wrapper.get('[data-testid="gateway-fix"]').trigger("click");
    await wrapper.get('[data-testid="base-url"]').setValue("https://images.example.com/v1");
    await wrapper.get('[data-testid="base-url"]').trigger("change");
    await flushPromises();
    expect(wrapper.get('[data-testid="gateway-notice"]').text()).toContain("Auto now uses Custom endpoint: Auto chose your custom endpoint because it is configured.");
    // Not proven yet: neutral, and it says what will prove it.
    expect(wrapper.get('[data-testid="gateway-status"]').attributes("data-tone")).toBe("neutral");
    expect(wrapper.get('[data-testid="gateway-proof"]').text()).toContain("Not tried yet");
    await wrapper.get('[data-testid="gateway-notice"] button').trigger("click");
    expect(wrapper.find('[data-testid="gateway-notice"]').exists()).toBe(false);
    // Another change that keeps the gateway says nothing.
    await wrapper.get('[data-testid="base-url"]').setValue("https://images.example.com/v2");
    await wrapper.get('[data-testid="base-url"]').trigger("change");
    await flushPromises();
    expect(wrapper.find('[data-testid="gateway-notice"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows the normalized endpoint, switches to it, and never stores the key", async () => {
    const calls: { cmd: string; payload: unknown }[] = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      const wire = (payload as { args?: { wire_name?: string } }).args?.wire_name ?? "";
      if (wire.endsWith("generate_images")) return { ok: true, requestId: "x", result: { data: [{ b64_json: B64 }] } };
      return { ok: true, apiKeySet: wire.endsWith("set_api_key") };
    });
    const wrapper = mountProductionPanel();
    await wrapper.get('[aria-label="Open settings"]').trigger("click");
    await wrapper.get('[data-testid="base-url"]').setValue("api.example.com");
    expect(wrapper.get('[data-testid="normalized-url"]').text()).toBe("Requests go to https://api.example.com/v1");
    expect(wrapper.get('[data-testid="gateway-label"]').text()).toBe("Custom endpoint");

    await wrapper.get('[data-testid="api-key"]').setValue("sk-test-PLANTED-1234567890");
    await wrapper.get('[data-testid="save-key"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="key-status"]').text()).toBe("A key is stored by the native backend.");
    expect((wrapper.get('[data-testid="api-key"]').element as HTMLInputElement).value).toBe("");
    expect(JSON.stringify({ ...localStorage })).not.toContain("PLANTED");
    expect(JSON.parse(localStorage.getItem(SETTINGS_STORAGE_KEY)!).profiles[0].baseUrl).toBe("api.example.com");

    await wrapper.get('[data-testid="prompt"]').setValue("a red fox");
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="gallery-image"]')).toHaveLength(1));
    const generate = calls.find((call) => JSON.stringify(call.payload).includes("generate_images"));
    expect(JSON.stringify(generate)).not.toContain("PLANTED");
    wrapper.unmount();
  });

  it("names the field and rule of invalid input, keeps it in the composer and loses nothing", async () => {
    localStorage.setItem(DRAFT_STORAGE_KEY, JSON.stringify({ prompt: "keep me", n: 1, size: "1000x1000" }));
    const wrapper = mountProductionPanel();
    expect(wrapper.get('[data-testid="size-error"]').text()).toBe("Size: both edges must be multiples of 16");
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await flushPromises();
    // No card and no request: the field is marked and focused instead.
    expect(wrapper.findAll('[data-testid="request"]')).toHaveLength(0);
    expect(wrapper.get('[data-testid="custom-size"]').attributes("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(wrapper.get('[data-testid="custom-size"]').element);
    expect((wrapper.get('[data-testid="prompt"]').element as HTMLTextAreaElement).value).toBe("keep me");
    wrapper.unmount();
  });

  it("names broken rules in Chinese too, with the values they name", async () => {
    localStorage.setItem(DRAFT_STORAGE_KEY, JSON.stringify({ prompt: "保留", n: 3, size: "1000x1000", model: "dall-e-3" }));
    const wrapper = mountProductionPanel("zh");
    expect(wrapper.get('[data-testid="size-error"]').text()).toBe("尺寸: dall-e-3 只支持 1024x1024, 1792x1024, 1024x1792");
    // The draft's input rules are checked once the panel has painted.
    expect(wrapper.find('[data-testid="count-error"]').exists()).toBe(false);
    await flushPromises();
    expect(wrapper.get('[data-testid="count-error"]').text()).toBe("数量: dall-e-3 每次请求只能生成 1 张图片");
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="request"]')).toHaveLength(0);
    expect(wrapper.get('[data-testid="count"]').attributes("aria-invalid")).toBe("true");
    wrapper.unmount();
  });

  it("repairs corrupted settings with a notice on load, without opening settings", async () => {
    const profile = { ...PROFILE_DEFAULTS, id: "default", name: "Custom endpoint", baseUrl: "https://x.example/v1" };
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ gateway: "profile:default", concurrency: "lots", profiles: [profile] }));
    const wrapper = mountProductionPanel();
    const notice = wrapper.get('[data-testid="settings-repaired"]');
    expect(notice.attributes("role")).toBe("note");
    expect(notice.text()).toContain("Some saved settings could not be used and were reset to their defaults; the rest are kept.");
    expect(wrapper.get('[data-testid="gateway-label"]').text()).toBe("Custom endpoint");
    // One copy: opening settings does not repeat it.
    await wrapper.get('[aria-label="Open settings"]').trigger("click");
    expect(wrapper.findAll('[data-testid="settings-repaired"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="settings"]').text()).not.toContain("were reset");
    await notice.get("button").trigger("click");
    expect(wrapper.find('[data-testid="settings-repaired"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows no repair notice when the saved settings are valid", () => {
    localStorage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ gateway: "auto" }));
    const wrapper = mountProductionPanel();
    expect(wrapper.find('[data-testid="settings-repaired"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
