// Bad persisted state: what an older version, a crash mid-write or a curious user left in
// localStorage and IndexedDB must not blank the panel. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { openPanel, useHarness } from "./support/harness.ts";

const harness = useHarness();

/** Puts records into the panel's history store (hfmig-history/requests) as they are, unchecked. */
const putHistory = (page: Page, records: unknown[]) =>
  page.evaluate(
    (values) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open("hfmig-history", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("requests", { keyPath: "id" });
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const transaction = request.result.transaction("requests", "readwrite");
          for (const value of values) transaction.objectStore("requests").put(value);
          transaction.oncomplete = () => {
            request.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    records,
  );

it("repairs unreadable settings JSON with a notice instead of a blank panel", async () => {
  const { page, messages } = await openPanel(harness());
  await page.evaluate(() => localStorage.setItem("hfmig.settings.v1", '{"baseUrl": "https://example.test/v1", "mode": '));
  await page.reload();
  await page.getByTestId("generate").waitFor();
  expect(await page.getByTestId("gateway-label").textContent()).toBeTruthy();
  // The notice is on the panel itself: nobody has to open settings to learn of the reset.
  await expect.poll(() => page.getByTestId("settings-repaired").innerText()).toMatch(/repaired|reset/i);
  expect(await page.getByTestId("settings").count()).toBe(0);
  // The repaired settings were written back (as the current version's), so the next load is clean.
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem("hfmig.settings.v2")))!)).toBeTypeOf("object");
  expect(messages.filter((message) => message.startsWith("pageerror"))).toEqual([]);
  await page.close();
}, 40_000);

it("skips a corrupted history record with a notice and still shows the good ones", async () => {
  const { page, messages } = await openPanel(harness());
  const good = {
    id: "good-1",
    createdAt: Date.now() - 60_000,
    status: "succeeded",
    operation: "generate",
    prompt: "a record that survived",
    model: "gpt-image-1",
    size: "1024x1024",
    n: 1,
    favourite: false,
    images: [],
    remoteUrls: [],
    references: [],
  };
  await putHistory(page, [good, { id: "broken-1", createdAt: "yesterday", prompt: 42, images: "none" }, { id: "broken-2" }]);
  await page.reload();
  await page.getByTestId("generate").waitFor();
  await expect.poll(() => page.getByTestId("history-item").count()).toBe(1);
  expect(await page.getByTestId("history-item").innerText()).toContain("a record that survived");
  await expect.poll(() => page.getByTestId("history-problem").innerText()).toMatch(/skipped|could not be read/i);
  // Filtering reads every record's prompt: it must not trip over the skipped ones.
  await page.getByTestId("history-search").fill("survived");
  await expect.poll(() => page.getByTestId("history-item").count()).toBe(1);
  expect(messages.filter((message) => message.startsWith("pageerror"))).toEqual([]);
  await page.close();
}, 40_000);
