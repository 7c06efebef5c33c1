// @vitest-environment jsdom
import { disposePinia } from "pinia";
import { expect, it } from "vitest";
import { memoryHistory } from "../../src/history/historyBackend.ts";
import { isHistoryRecord, recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import { useHistoryStore } from "../../src/stores/history.store.ts";
import { testApp, testEnvironment } from "./testEnvironment.ts";

const good = recordFromInput("good", 1, { operation: "generate", prompt: "a good record", model: "gpt-image-1", size: "1024x1024", n: 1 })!;

it("accepts a record the panel wrote and rejects malformed ones", () => {
  expect(isHistoryRecord(good)).toBe(true);
  for (const broken of [null, "text", { id: "x" }, { ...good, createdAt: "yesterday" }, { ...good, prompt: 42 }, { ...good, images: "none" }, { ...good, references: [{ name: "a" }] }]) {
    expect(isHistoryRecord(broken)).toBe(false);
  }
});

it("reads records written before usage was kept, and keeps a record's usage", () => {
  const usage = { input_tokens: 100, output_tokens: 50, total_tokens: 150, input_tokens_details: { text_tokens: 100, image_tokens: 0 } };
  expect(isHistoryRecord({ ...good, usage })).toBe(true);
  expect("usage" in good).toBe(false);
  expect(isHistoryRecord({ ...good, usage: { input_tokens: "many" } })).toBe(false);
});

it("skips unreadable stored records with a notice, keeps them in storage, and still lists and filters the rest", async () => {
  const broken = { id: "broken", createdAt: "yesterday", prompt: 42 } as unknown as HistoryRecord;
  const backend = memoryHistory([good, broken]);
  const app = testApp(testEnvironment({ historyBackend: () => backend, objectUrls: { create: () => "blob:x", revoke: () => undefined } }));
  const pinia = app.config.globalProperties.$pinia;
  const store = app.runWithContext(() => useHistoryStore());
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(store.records.map((record) => record.id)).toEqual(["good"]);
  expect(store.problem).toBe("skipped");
  store.query = "good";
  expect(store.visible.map((record) => record.id)).toEqual(["good"]);
  expect(backend.records.has("broken")).toBe(true);
  disposePinia(pinia);
});
