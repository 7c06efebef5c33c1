// @vitest-environment jsdom
// The composer's batch and compare modes in the mounted panel, in English and Chinese: what the
// preview and its problems say, and that a refused batch keeps the draft and sends nothing.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { mountPanel } from "../../src/app/mountPanel.ts";

beforeEach(() => {
  localStorage.clear();
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, apiKeySet: false }));
});
afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

async function mountIn(locale: "en" | "zh") {
  localStorage.setItem("hf:locale", locale);
  const element = document.createElement("div");
  document.body.append(element);
  const unmount = mountPanel(element);
  await flushPromises();
  const byTestId = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const type = async (text: string) => {
    const prompt = byTestId("prompt") as HTMLTextAreaElement;
    prompt.value = text;
    prompt.dispatchEvent(new Event("input"));
    await flushPromises();
  };
  return { element, unmount, byTestId, type };
}

describe("batch and compare in the composer", () => {
  it.each([
    ["en", "2 requests · 2 images", "Line 1, column 3: this “{” is never closed. Add “}” after its options.", "This makes 101 requests; a batch takes at most 100. Remove lines or variants."],
    ["zh", "2 个请求 · 2 张图片", "第 1 行第 3 列：这个“{”没有闭合。请在选项后加上“}”。", "这会产生 101 个请求，一个批次最多 100 个。请删除一些行或变体。"],
  ] as const)("says what a batch would send, or why not (%s)", async (locale, summary, unclosed, tooMany) => {
    const { element, unmount, byTestId, type } = await mountIn(locale);
    byTestId("run-batch")!.click();
    await type("a {red|blue} fox");
    expect(byTestId("batch-preview")?.textContent).toContain(summary);
    await type("a {red fox");
    expect(byTestId("batch-problem")?.textContent).toBe(unclosed);
    byTestId("generate")!.click();
    await flushPromises();
    expect(byTestId("request")).toBeNull();
    expect((byTestId("prompt") as HTMLTextAreaElement).value).toBe("a {red fox");
    await type(Array.from({ length: 101 }, (_, index) => `p${index}`).join("\n"));
    expect(byTestId("batch-problem")?.textContent).toBe(tooMany);
    // The control: a batch that fits is sent, one card per prompt, in one group.
    await type("a {red|blue} fox");
    byTestId("generate")!.click();
    await flushPromises();
    expect(element.querySelectorAll('[data-testid="batch"] [data-testid="request"]')).toHaveLength(2);
    // One prompt again: the same text is one prompt, braces and lines as written.
    byTestId("run-single")!.click();
    await flushPromises();
    expect(byTestId("batch-problem")).toBeNull();
    expect(byTestId("batch-preview")).toBeNull();
    unmount();
  });

  it("names a compare target that repeats another, in both languages", async () => {
    for (const [locale, said] of [
      ["en", "Targets 1 and 2 are the same: change the gateway or model of one."],
      ["zh", "目标 1 和目标 2 相同：请更改其中一个的网关或模型。"],
    ] as const) {
      const { element, unmount, byTestId, type } = await mountIn(locale);
      byTestId("run-compare")!.click();
      await type("a fox");
      const models = element.querySelectorAll<HTMLInputElement>('[data-testid="compare-model"]');
      models[1]!.value = models[0]!.value;
      models[1]!.dispatchEvent(new Event("input"));
      await flushPromises();
      expect(byTestId("batch-problem")?.textContent).toBe(said);
      unmount();
      localStorage.clear();
    }
  });
});
