// @vitest-environment jsdom

import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";
import { PROFILE_DEFAULTS } from "../../src/schemas/profile.ts";
import { SETTINGS_STORAGE_KEY } from "../../src/stores/settings.store.ts";
import { useFakeHost } from "./fakeHost.ts";

useFakeHost();

const row = (id: string, at: number, patch: Partial<HistoryRecord>): HistoryRecord => ({
  ...recordFromInput(id, at, { operation: "generate", prompt: `prompt ${id}`, model: "gpt-image-2", size: "1024x1024", n: 2 })!,
  ...patch,
});

async function mountHistory(records: HistoryRecord[]) {
  const environment = testEnvironment({ historyBackend: () => memoryHistory(records), objectUrls: { create: () => "blob:x", revoke: () => undefined } });
  const wrapper = mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

describe("history rows", () => {
  it("tones each status like its card, says on failed rows what ran where and why, and why a row has no image", async () => {
    const image = [new Blob([new Uint8Array(4)])];
    const wrapper = await mountHistory([
      row("ok", 5, { status: "succeeded", images: image, gatewayLabelKey: "custom" }),
      row("partial", 4, { status: "partiallySucceeded", images: image }),
      row("cancelled", 3, { status: "cancelled" }),
      row("failed", 2, { status: "failed", operation: "edit", gatewayLabelKey: "managed", errorSummary: "The managed gateway's upstream answered HTTP 500: upstream broke", errorSentence: { key: "server_errorStatus", params: { status: 500 } }, errorDetail: "upstream broke" }),
      row("interrupted", 1, { status: "interrupted" }),
      row("resolved", 0, { status: "interrupted", resolvedBy: "ok" }),
    ]);
    const rows = wrapper.findAll('[data-testid="history-item"]');
    expect(rows.map((item) => item.get('[data-testid="history-status"]').classes().find((name) => name.startsWith("is-")))).toEqual(["is-ok", "is-warn", "is-warn", "is-bad", "is-bad", "is-neutral"]);
    // An interrupted request a later success of the same input resolved says so, and is no failure.
    expect(rows[5]!.get('[data-testid="history-status"]').text()).toBe("Interrupted, retried");
    const failed = rows[3]!;
    expect(failed.text()).toContain("Edit · Managed gateway");
    // What happened in the panel's words; only the gateway's own words are quoted.
    expect(failed.get('[data-testid="history-error"]').text()).toBe("The provider failed (HTTP 500). upstream broke");
    expect(failed.get('[data-testid="history-error"] q').text()).toBe("upstream broke");
    expect(failed.get('[data-testid="history-no-image"]').text()).toBe("No image: it failed");
    expect(rows[2]!.get('[data-testid="history-no-image"]').text()).toBe("No image");
    expect(rows[0]!.find('[data-testid="history-error"]').exists()).toBe(false);

    const shown = () => wrapper.findAll('[data-testid="history-item"]').map((item) => item.attributes("data-status"));
    await wrapper.get('[data-testid="history-filter"]').setValue("bad");
    expect(shown()).toEqual(["failed", "interrupted"]);
    await wrapper.get('[data-testid="history-filter"]').setValue("warn");
    expect(shown()).toEqual(["partiallySucceeded", "cancelled"]);
    await wrapper.get('[data-testid="history-filter"]').setValue("all");
    expect(shown()).toHaveLength(6);
    wrapper.unmount();
  });

  it("selects several rows to favourite or delete them together, undoes the delete, and names each row's buttons by its prompt", async () => {
    const wrapper = await mountHistory([row("a", 3, { status: "succeeded" }), row("b", 2, { status: "failed" }), row("c", 1, { status: "succeeded" })]);
    const names = wrapper.findAll('[data-testid="history-delete"]').map((button) => button.attributes("aria-label"));
    expect(names).toEqual(["Delete from history: prompt a", "Delete from history: prompt b", "Delete from history: prompt c"]);
    const select = (index: number) => wrapper.findAll('[data-testid="history-select"]')[index]!.trigger("change");
    await select(0);
    await select(2);
    expect(wrapper.get('[data-testid="history-selection"]').text()).toContain("2 selected");
    await wrapper.get('[data-testid="bulk-favourite"]').trigger("click");
    const favourites = () => wrapper.findAll('[data-testid="history-item"]').map((item) => item.get('[aria-pressed]').attributes("aria-pressed"));
    expect(favourites()).toEqual(["true", "false", "true"]);
    await wrapper.get('[data-testid="bulk-favourite"]').trigger("click");
    expect(favourites()).toEqual(["false", "false", "false"]);
    await wrapper.get('[data-testid="bulk-delete"]').trigger("click");
    const prompts = () => wrapper.findAll('[data-testid="history-item"] .hfmig-prompt-preview').map((item) => item.text());
    expect(prompts()).toEqual(["prompt b"]);
    expect(wrapper.find('[data-testid="history-selection"]').exists()).toBe(false);
    await wrapper.get('[data-testid="undo-delete"]').trigger("click");
    expect(prompts()).toEqual(["prompt a", "prompt b", "prompt c"]);
    wrapper.unmount();
  });

  it("prices each row at the prices of the profile it went through, and names a compare's rows as a compare", async () => {
    localStorage.setItem(
      SETTINGS_STORAGE_KEY,
      JSON.stringify({
        gateway: "profile:cheap",
        profiles: [
          { ...PROFILE_DEFAULTS, id: "cheap", name: "Cheap", preset: "openai", baseUrl: "https://api.openai.com/v1" },
          { ...PROFILE_DEFAULTS, id: "dear", name: "Dear", preset: "custom", baseUrl: "https://relay.example/v1", prices: "gpt-image-1 4000 8000 32000" },
        ],
      }),
    );
    const usage = { input_tokens: 100, output_tokens: 50 };
    const went = { status: "succeeded" as const, model: "gpt-image-1", usage, gatewayLabelKey: "custom" as const, batchId: "cmp", batchKind: "compare" as const };
    const wrapper = await mountHistory([
      row("dear", 2, { ...went, profileId: "dear", profileName: "Dear", batchIndex: 1 }),
      row("cheap", 1, { ...went, profileId: "cheap", profileName: "Cheap", batchIndex: 0 }),
      row("batch", 0, { status: "succeeded", batchId: "b", batchIndex: 0 }),
    ]);
    const rows = wrapper.findAll('[data-testid="history-item"]');
    // The list price: 100 × $5 + 50 × $40 per million; the profile's own line: 100 × $4000 + 50 × $32000.
    expect(rows[0]!.get('[data-testid="usage"]').text()).toContain("$2");
    expect(rows[1]!.get('[data-testid="usage"]').text()).toContain("$0.0025");
    expect(rows.map((item) => item.get('[data-testid="history-batch"]').text())).toEqual(["Compare", "Compare", "Batch"]);
    expect(rows[0]!.get('[data-testid="history-batch"]').attributes("aria-label")).toBe("Show this compare: prompt dear");
    wrapper.unmount();
    localStorage.clear();
  });
});
