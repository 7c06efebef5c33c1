// @vitest-environment jsdom
// A batch's results under one header in the mounted panel, in English and Chinese: live (a batch
// of four through a fake gateway that refuses one prompt) and after a reload (history records that
// carry the batch id); folding hides the images and the viewer still numbers them in order.
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import type { Locale } from "../../src/i18n/i18n.ts";
import type { GatewayCallEvent, RequestInput } from "../../machines/index.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { useFakeHost } from "./fakeHost.ts";

useFakeHost();

const png = (tag: string) => new Blob([tag], { type: "image/png" });
// The gateway boundary: one image per prompt, and a provider's refusal for a prompt marked [refuse].
const fakeGateway = async (input: RequestInput): Promise<GatewayCallEvent[]> =>
  input.prompt.includes("[refuse]")
    ? [{ type: "gateway.failed", failure: { code: "invalid_request", status: 400, message: "refused", providerText: "rejected by the safety system", mayHaveRun: false } }]
    : [{ type: "gateway.output", output: { src: png(input.prompt) } }, { type: "gateway.done", usage: { input_tokens: 100, output_tokens: 200 } }];

function mountPanel(locale: Locale, history = memoryHistory()) {
  const environment = testEnvironment({ locale, flavour: "development", mock: fakeGateway, historyBackend: () => history, objectUrls: { create: (blob) => `blob:${blob.size}`, revoke: () => undefined } });
  return mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
}

// A batch of five sent at t=1000, the fourth refused; a single request after it.
const input = (prompt: string): RequestInput => ({ operation: "generate", prompt, model: "gpt-image-1", size: "1024x1024", quality: "low", n: 1 });
const PROMPTS = ["a red kite", "a blue kite", "a lighthouse", "a harbour [refuse]", "a meadow"];
const recorded = (): HistoryRecord[] => [
  ...PROMPTS.map((prompt, index): HistoryRecord => {
    const refused = index === 3;
    return {
      ...recordFromInput(`req-b${index}`, 1000, input(prompt), { id: "batch-1", index, kind: "batch" }),
      status: refused ? "failed" : "succeeded",
      gatewayKind: "custom",
      gatewayLabelKey: "custom",
      images: refused ? [] : [png(prompt)],
      ...(refused ? { errorSummary: "refused", errorSentence: { key: "invalid_request" } } : { usage: { input_tokens: 100, output_tokens: 200 } }),
    };
  }),
  { ...recordFromInput("req-single", 2000, input("alone")), status: "succeeded", images: [png("alone")] },
];

describe("a batch's results under one header", () => {
  it.each([
    ["en", "Batch · 5 of 5 done", "4 of 5 images", "0 of 1 images. The provider rejected the request.", "Fold this batch's images", "Show this batch's images"],
    ["zh", "批次 · 已完成 5/5", "已收到 4/5 张图片", "共 1 张中收到 0 张。 服务商拒绝了该请求。", "收起该批次的图片", "展开该批次的图片"],
  ] as const)("comes back after a reload as one group with every prompt, its images and the failure (%s)", async (locale, title, images, failure, fold, unfold) => {
    const wrapper = mountPanel(locale, memoryHistory(recorded()));
    await vi.waitFor(() => expect(wrapper.findAll('[data-testid="batch-results"]')).toHaveLength(1));
    await flushPromises();
    const batch = wrapper.get('[data-testid="batch-results"]');
    expect(batch.get('[data-testid="batch-results-progress"]').text()).toBe(title);
    expect(batch.get('[data-testid="batch-results-images"]').text()).toBe(images);
    // gpt-image-1's list prices price the four usages.
    expect(batch.get('[data-testid="batch-results-cost"]').text()).toMatch(/\$/);
    expect(batch.findAll('[data-testid="result-group"] .hfmig-prompt-preview').map((line) => line.text())).toEqual(PROMPTS);
    expect(batch.findAll('[data-testid="gallery-image"]')).toHaveLength(4);
    expect(batch.get('[data-testid="result-partial"]').text()).toBe(failure);
    // The single request, newer, sits above the batch: the viewer numbers the batch's images after it.
    expect(wrapper.findAll('[data-testid="result-group"]')).toHaveLength(6);
    expect(batch.get(".hfmig-thumb").attributes("aria-label")).toMatch(/2/);

    const toggle = batch.get('[data-testid="batch-toggle"]');
    expect(toggle.attributes()).toMatchObject({ "aria-expanded": "true", "aria-label": fold });
    await toggle.trigger("click");
    expect(batch.findAll('[data-testid="gallery-image"]')).toHaveLength(0);
    expect(batch.findAll('[data-testid="result-group"]')).toHaveLength(0);
    expect(toggle.attributes()).toMatchObject({ "aria-expanded": "false", "aria-label": unfold });
    // The header still says what the batch holds.
    expect(batch.get('[data-testid="batch-results-images"]').text()).toBe(images);
    await toggle.trigger("click");
    expect(batch.findAll('[data-testid="gallery-image"]')).toHaveLength(4);
    wrapper.unmount();
  });

  it("groups a batch as it runs and ends: one header, each prompt's image in the order sent, the refusal said in its place", async () => {
    const wrapper = mountPanel("en");
    await flushPromises();
    await wrapper.get('[data-testid="run-batch"]').trigger("click");
    await wrapper.get('[data-testid="prompt"]').setValue("a {red|blue} kite\na harbour [refuse]\na meadow");
    await wrapper.get('[data-testid="generate"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="batch-results-progress"]').text()).toBe("Batch · 4 of 4 done"));
    const batch = wrapper.get('[data-testid="batch-results"]');
    expect(wrapper.findAll('[data-testid="batch-results"]')).toHaveLength(1);
    expect(batch.findAll('[data-testid="result-group"] .hfmig-prompt-preview').map((line) => line.text())).toEqual(["a red kite", "a blue kite", "a harbour [refuse]", "a meadow"]);
    expect(batch.findAll('[data-testid="gallery-image"]')).toHaveLength(3);
    expect(batch.get('[data-testid="batch-results-images"]').text()).toBe("3 of 4 images");
    expect(batch.get('[data-testid="result-partial"]').text()).toBe("0 of 1 images. The provider rejected the request.");
    // Every result outside the batch group: none.
    expect(wrapper.findAll('.hfmig-gallery > [data-testid="result-group"]')).toHaveLength(0);
    wrapper.unmount();
  });
});
