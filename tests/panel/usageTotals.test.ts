// @vitest-environment jsdom
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import type { Locale } from "../../src/i18n/i18n.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { useFakeHost } from "./fakeHost.ts";

useFakeHost();

const at = (day: number, hour: number) => new Date(2026, 11, day, hour).getTime();
const used = (id: string, createdAt: number): HistoryRecord => ({
  ...recordFromInput(id, createdAt, { operation: "generate", prompt: `prompt ${id}`, model: "gpt-image-1", size: "1024x1024", n: 1 })!,
  status: "succeeded",
  usage: { input_tokens: 100, output_tokens: 200, total_tokens: 300 },
});

/** The panel with two requests from 7 December and one from the 6th, by the clock it is given. */
async function totalsAt(now: number, locale: Locale = "en") {
  const history = memoryHistory([used("r1", at(7, 9)), used("r2", at(7, 11)), used("r3", at(6, 22))]);
  const environment = testEnvironment({ locale, now: () => now, historyBackend: () => history, objectUrls: { create: () => "blob:test", revoke: () => undefined } });
  const wrapper = mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
  await flushPromises();
  const line = wrapper.find('[data-testid="usage-totals"]');
  const text = line.exists() ? line.text() : undefined;
  wrapper.unmount();
  return text;
}

describe("usage totals by the panel's clock", () => {
  it("counts the requests of the clock's day, in English and Chinese", async () => {
    expect(await totalsAt(at(7, 18))).toMatch(/^Today 600 tokens/);
    expect(await totalsAt(at(7, 18), "zh")).toMatch(/^今日 600 令牌/);
    expect(await totalsAt(at(6, 23))).toMatch(/^Today 300 tokens/);
  });

  it("says nothing on a day with no request", async () => {
    expect(await totalsAt(at(9, 12))).toBeUndefined();
  });
});
