// @vitest-environment jsdom
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import type { GatewayCallEvent } from "../../machines/index.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const image: GatewayCallEvent = { type: "gateway.output", output: { src: `data:image/png;base64,${PNG}` } };

function mountPanel(locale: "en" | "zh" = "en") {
  const environment = testEnvironment({
    locale,
    flavour: "development",
    historyBackend: () => memoryHistory(),
    objectUrls: { create: (blob) => `blob:${blob.size}`, revoke: () => undefined },
    mock: () => Promise.resolve([image, { type: "gateway.done" }]),
  });
  return mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
}

describe("the studio parts of the panel", () => {
  it("estimates the default model before sending, and follows the size picker's ratio and resolution", async () => {
    const wrapper = mountPanel();
    await vi.waitFor(() => expect(wrapper.find('[data-testid="estimate"]').exists()).toBe(true));
    // gpt-image-2 at 1024x1024 with quality left to the model: estimated at high.
    expect(wrapper.get('[data-testid="estimate"]').text()).toBe("≈ $0.25 estimate");
    await wrapper.get('[data-testid="size"]').setValue("16:9");
    expect(wrapper.get('[data-testid="size-exact"]').text()).toBe("1360 × 768");
    const resolutions = wrapper.get('[data-testid="size-resolution"]').findAll('[role="radio"]');
    expect(resolutions.map((radio) => radio.text())).toEqual(["1K", "2K", "4K"]);
    await resolutions[2]!.trigger("click");
    expect(wrapper.get('[data-testid="size-exact"]').text()).toContain("3840 × 2160");
    expect(wrapper.get('[data-testid="size-experimental"]').text()).toBe("Experimental");
    expect(JSON.parse(localStorage.getItem("hfmig.draft.v1")!).size).toBe("3840x2160");
    // A fixed-size model offers its own list only.
    await wrapper.get('input[list="hfmig-models"]').setValue("dall-e-3");
    expect(wrapper.get('[data-testid="size"]').findAll("option").map((option) => option.attributes("value"))).toEqual(["auto", "1:1", "16:9", "9:16", "custom"]);
    wrapper.unmount();
    localStorage.clear();
  });

  it("opens the shortcut sheet with ? (not while typing), in Chinese too, and switches Edit and Generate with E and G", async () => {
    const wrapper = mountPanel("zh");
    await flushPromises();
    const root = wrapper.get(".hfmig-root");
    await wrapper.get('[data-testid="prompt"]').trigger("keydown", { key: "?" });
    expect(wrapper.find('[data-testid="shortcut-sheet"]').exists()).toBe(false);
    await root.trigger("keydown", { key: "?" });
    const sheet = wrapper.get('[data-testid="shortcut-sheet"]');
    expect(sheet.attributes("aria-label")).toBe("键盘快捷键");
    expect(sheet.text()).toContain("切换到编辑");
    await sheet.trigger("keydown", { key: "Escape" });
    expect(wrapper.find('[data-testid="shortcut-sheet"]').exists()).toBe(false);
    await root.trigger("keydown", { key: "e" });
    expect(wrapper.get('[data-testid="mode-edit"]').attributes("aria-checked")).toBe("true");
    await root.trigger("keydown", { key: "g" });
    expect(wrapper.get('[data-testid="mode-generate"]').attributes("aria-checked")).toBe("true");
    wrapper.unmount();
    localStorage.clear();
  });

  it("says why an import was refused, in the panel's language, and keeps history as it was", async () => {
    const wrapper = mountPanel("zh");
    await vi.waitFor(() => expect(wrapper.find('[data-testid="import-input"]').exists()).toBe(true));
    const input = wrapper.get('[data-testid="import-input"]');
    Object.defineProperty(input.element, "files", { value: [new File(["not a zip"], "notes.zip", { type: "application/zip" })], configurable: true });
    await input.trigger("change");
    await vi.waitFor(() => expect(wrapper.find('[data-testid="transfer-status"]').exists()).toBe(true));
    expect(wrapper.get('[data-testid="transfer-status"]').text()).toBe("该文件不是本面板的历史记录导出；请选择用“导出历史记录”生成的 ZIP。");
    await wrapper.get('[data-testid="export-all"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="transfer-status"]').text()).toBe("目前没有可导出的内容。"));
    wrapper.unmount();
    localStorage.clear();
  });
});
