// @vitest-environment jsdom
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "vue";
import UnsavedImages from "../../src/components/UnsavedImages.vue";
import { memoryHistory, type HistoryBackend } from "../../src/history/historyBackend.ts";
import { useHistoryStore } from "../../src/stores/history.store.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import type { RequestView } from "../../machines/index.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const quota = Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
const saves: string[] = [];
let answer: "saved" | "cancelled" = "saved";
// The host's save dialog is a boundary we do not own.
vi.mock("../../src/adapters/imageFile.ts", () => ({ saveThroughHost: async (request: { fileName: string }) => (saves.push(request.fileName), { outcome: answer }) }));

const view = (outputs: number): RequestView => ({
  id: "req-00000001",
  phase: "succeeded",
  final: true,
  tone: "ok",
  retryable: true,
  attemptFailures: [],
  phases: [],
  attempt: 1,
  maxAttempts: 3,
  createdAt: 1,
  elapsedMs: 10,
  outputs: Array.from({ length: outputs }, () => ({ src: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) })),
  timeline: [],
});

async function mountOffer(backend: HistoryBackend, locale: "en" | "zh" = "en") {
  const environment = testEnvironment({ locale, historyBackend: () => backend, objectUrls: { create: () => "blob:x", revoke: () => undefined } });
  const pinia = createPinia();
  setActivePinia(pinia);
  const app = createApp({}).use(pinia).use(panelEnvironment(environment));
  const history = app.runWithContext(() => useHistoryStore());
  await flushPromises();
  history.accept("req-00000001", 1, { operation: "generate", prompt: "three foxes in the snow", model: "gpt-image-1", size: "1024x1024", n: 3 });
  history.settle(view(3));
  const wrapper = mount(UnsavedImages, { global: { plugins: [pinia, panelEnvironment(environment)] } });
  await vi.waitFor(() => expect(wrapper.find('[data-testid="history-unsaved"]').exists()).toBe(true));
  return wrapper;
}

describe("the offer to download images storage refused", () => {
  it("counts the images, says the record was kept, and ends once every image was saved; a cancelled dialog keeps it", async () => {
    const backend = memoryHistory();
    const wrapper = await mountOffer({ ...backend, put: async (item) => (item.images.length ? Promise.reject(quota) : backend.put(item)) });
    expect(wrapper.get('[data-testid="history-unsaved"]').text()).toContain("Storage is full: the images of “three foxes in the snow” (3) were not saved to history; its status and token usage were.");
    expect(wrapper.get('[data-testid="download-unsaved"]').text()).toBe("Download 3 images");

    saves.length = 0;
    answer = "cancelled";
    await wrapper.get('[data-testid="download-unsaved"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.get('[data-testid="download-unsaved"]').attributes("disabled")).toBeUndefined());
    expect(saves).toEqual(["image-00000001-0.png"]);
    expect(wrapper.find('[data-testid="history-unsaved"]').exists()).toBe(true);

    answer = "saved";
    await wrapper.get('[data-testid="download-unsaved"]').trigger("click");
    await vi.waitFor(() => expect(wrapper.find('[data-testid="history-unsaved"]').exists()).toBe(false));
    expect(saves).toEqual(["image-00000001-0.png", "image-00000001-0.png", "image-00000001-1.png", "image-00000001-2.png"]);
    expect(wrapper.get('[data-testid="download-unsaved-status"]').text()).toBe("Image saved");
  });

  it("says when even the record was not kept, in Chinese too", async () => {
    const wrapper = await mountOffer({ ...memoryHistory(), put: async () => Promise.reject(quota) }, "zh");
    expect(wrapper.get('[data-testid="history-unsaved"]').text()).toContain("存储空间已满：“three foxes in the snow”及其图片（3 张）未保存到历史记录。请在关闭面板前下载这些图片。");
    expect(wrapper.get('[data-testid="download-unsaved"]').text()).toBe("下载 3 张图片");
  });
});
