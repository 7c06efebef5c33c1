// Reuse settings, history export and import, and pictures of the studio parts (size picker, rows
// expanded to their full text, the "?" sheet), through the dev host. Needs `npm run build:e2e`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseMode, dumpStorage, generate, openPanel, phaseOf, prepareEdit, setBaseUrl, setSession, useHarness, setLocale, shootViews } from "./support/harness.ts";

const harness = useHarness();
let page: Page;
let messages: string[];

beforeEach(async () => {
  ({ page, messages } = await openPanel(harness()));
  await setSession(page, "HaloForge Cloud");
});
afterEach(async () => {
  expect(messages.filter((message) => /^(error|pageerror): /.test(message))).toEqual([]);
  await page.close();
});

const historyRow = (prompt: string) => page.getByTestId("history-item").filter({ hasText: prompt }).first();
const edits = () => (harness().logText().match(/image request succeeded .*operation=edit/g) ?? []).length;
/** The history records as stored (Blobs by size), by id. */
const storedHistory = async () => {
  const dump = JSON.parse(await dumpStorage(page)) as { indexedDB: Record<string, Record<string, { id: string }[]>> };
  return (dump.indexedDB["hfmig-history"]?.requests ?? []).sort((a, b) => a.id.localeCompare(b.id));
};
/** SHA-256 of every stored history image, in record id order: the same bytes, not just the same size. */
const storedImageHashes = () =>
  page.evaluate(async () => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open("hfmig-history");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const records = await new Promise<{ id: string; images: Blob[] }[]>((resolve, reject) => {
      const request = database.transaction("requests", "readonly").objectStore("requests").getAll();
      request.onsuccess = () => resolve(request.result as { id: string; images: Blob[] }[]);
      request.onerror = () => reject(request.error);
    });
    database.close();
    const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
    records.sort((a, b) => a.id.localeCompare(b.id));
    return Promise.all(records.flatMap((record) => record.images.map(async (blob) => `${blob.type} ${hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()))}`)));
  });

describe("reuse settings", () => {
  it("puts an edit with its references, mask, options and gateway back in the composer, and sends nothing", async () => {
    await setBaseUrl(page, harness().fakeUrl());
    await chooseMode(page, "Custom endpoint");
    await prepareEdit(page, harness(), 2);
    await page.getByTestId("size").selectOption("3:2");
    await page.getByTestId("quality").selectOption("high");
    await page.getByTestId("format").selectOption("webp");
    await page.getByTestId("count").fill("2");
    await generate(page, "a masked sky to reuse");
    await expect.poll(() => phaseOf(page, "a masked sky to reuse"), { timeout: 20_000 }).toBe("succeeded");
    const sent = edits();
    expect(sent).toBe(1);

    // Everything changes: another gateway, mode, prompt, size, options, and no references.
    for (const name of ["reference-1.png", "reference-2.png"]) await page.getByRole("button", { name: `Remove ${name}` }).click();
    await expect.poll(() => page.getByTestId("reference").count()).toBe(0);
    await chooseMode(page, "Mock");
    await page.getByTestId("mode-generate").click();
    await page.getByTestId("prompt").fill("something else entirely");
    await page.getByTestId("size").selectOption("auto");
    await page.getByTestId("quality").selectOption("");
    await page.getByTestId("count").fill("1");

    await historyRow("a masked sky to reuse").getByTestId("history-rerun").click();
    await expect.poll(() => page.getByTestId("prompt").inputValue()).toBe("a masked sky to reuse");
    expect(await page.getByTestId("mode-edit").getAttribute("aria-checked")).toBe("true");
    expect(await page.getByTestId("count").inputValue()).toBe("2");
    expect(await page.getByTestId("quality").inputValue()).toBe("high");
    expect(await page.getByTestId("format").inputValue()).toBe("webp");
    expect(await page.getByTestId("size").inputValue()).toBe("3:2");
    expect(await page.getByTestId("size-exact").innerText()).toContain("1536 × 1024");
    await expect.poll(() => page.getByTestId("reference").count()).toBe(2);
    await expect.poll(() => page.getByTestId("reference").first().innerText()).toContain("Mask set");
    await expect.poll(() => page.getByTestId("gateway-label").innerText()).toBe("Custom endpoint");
    // Nothing was sent: no new card, no new call.
    expect(await page.getByTestId("request").count()).toBe(1);
    expect(edits()).toBe(sent);

    // The reused draft sends the same edit again when the user presses Edit.
    await page.getByTestId("generate").click();
    await expect.poll(() => page.getByTestId("request").count()).toBe(2);
    await expect.poll(() => edits(), { timeout: 20_000 }).toBe(sent + 1);
  }, 90_000);
});

describe("history you can take with you", () => {
  it("exports the history as a ZIP, and after clearing it imports it back identical; a second import adds nothing", async () => {
    await chooseMode(page, "Mock");
    for (const prompt of ["a first picture to keep", "a second picture to keep"]) {
      await generate(page, prompt);
      await expect.poll(() => phaseOf(page, prompt), { timeout: 20_000 }).toBe("succeeded");
    }
    await expect.poll(async () => (await storedHistory()).filter((record) => JSON.stringify(record).includes("<Blob")).length).toBe(2);
    const before = await storedHistory();
    const imagesBefore = await storedImageHashes();
    expect(imagesBefore).toHaveLength(2);

    await page.getByTestId("export-all").click();
    await expect.poll(() => page.getByTestId("transfer-status").innerText()).toBe("Exported 2 requests with their images.");
    const savedDir = join(harness().home, ".haloforge", "devhost", "saved");
    const zipName = readdirSync(savedDir).find((name) => name.endsWith(".zip"))!;
    expect(zipName).toMatch(/^image-history-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipPath = join(savedDir, zipName);
    expect(readFileSync(zipPath).subarray(0, 4)).toEqual(Buffer.from("PK\x03\x04", "latin1"));
    expect(harness().logText()).toMatch(/history archive saved bytes=\d+/);

    // Clear the history.
    for (const row of await page.getByTestId("history-select").all()) await row.check();
    await page.getByTestId("bulk-delete").click();
    await expect.poll(() => page.getByTestId("history-item").count()).toBe(0);
    await expect.poll(async () => (await storedHistory()).length).toBe(0);

    await page.getByTestId("import-input").setInputFiles(zipPath);
    await expect.poll(() => page.getByTestId("transfer-status").innerText()).toBe("Imported 2; 0 were already in history and were kept as they are.");
    await expect.poll(() => page.getByTestId("history-item").count()).toBe(2);
    await expect.poll(() => storedHistory()).toEqual(before);
    expect(await storedImageHashes()).toEqual(imagesBefore);
    // The images are the same bytes: they open in the viewer.
    await historyRow("a first picture to keep").getByRole("button", { name: /^Open/ }).click();
    await expect.poll(() => page.getByTestId("viewer-image").evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
    await page.keyboard.press("Escape");

    await page.getByTestId("import-input").setInputFiles(zipPath);
    await expect.poll(() => page.getByTestId("transfer-status").innerText()).toBe("Imported 0; 2 were already in history and were kept as they are.");
    expect(await page.getByTestId("history-item").count()).toBe(2);

    // A file that is not ours says so and touches nothing.
    const notOurs = join(harness().home, "notes.zip");
    writeFileSync(notOurs, "these are not the pictures you are looking for");
    await page.getByTestId("import-input").setInputFiles(notOurs);
    await expect.poll(() => page.getByTestId("transfer-status").innerText()).toBe("That file is not a history export of this panel; choose a ZIP made with Export history.");
    expect(await storedHistory()).toEqual(before);
  }, 90_000);
});

describe("screenshots of the studio parts", () => {
  it("shows the size picker, history rows with their full text, and the shortcut sheet", async () => {
    await chooseMode(page, "Mock");
    await page.getByTestId("size").selectOption("16:9");
    await page.getByTestId("size-resolution").getByRole("radio", { name: "4K" }).click();
    await expect.poll(() => page.getByTestId("size-exact").innerText()).toContain("3840 × 2160");
    expect(await page.getByTestId("size-experimental").count()).toBe(1);
    await shootViews(page, "studio-size-picker", page.getByTestId("size"));

    await page.getByTestId("size").selectOption("1:1");
    const long = "a very long prompt that goes on: a lighthouse at dusk on a rocky coast, waves breaking, gulls overhead, warm light in the lantern room, a small boat returning to the harbour, painted in the style of an old travel poster with bold flat colours";
    await generate(page, long);
    await expect.poll(() => phaseOf(page, long.slice(0, 40)), { timeout: 20_000 }).toBe("succeeded");
    await historyRow(long).getByTestId("history-expand").click();
    await expect.poll(() => historyRow(long).getByTestId("history-full").count()).toBe(1);
    // Expanded, the row's prompt wraps instead of ending in "…".
    expect(await historyRow(long).locator(".hfmig-prompt-preview").first().evaluate((node) => getComputedStyle(node).whiteSpace)).toBe("normal");
    await shootViews(page, "studio-history-full-text", historyRow(long));

    // The viewer shows what was asked beside what came back: the mock's picture is not 2880x2880.
    await historyRow(long).getByRole("button", { name: /^Open/ }).click();
    const sizeRow = page.getByTestId("requested-actual").locator('tr[data-field="size"]');
    await expect.poll(() => sizeRow.innerText()).toMatch(/^Size\s+2880x2880\s+\d+x\d+$/);
    expect(await sizeRow.getAttribute("data-differs")).toBe("true");
    await shootViews(page, "studio-viewer-requested-actual", page.getByTestId("requested-actual"));
    await page.keyboard.press("Escape");

    // "?" outside a text field opens the sheet; inside the prompt it is just a character.
    await page.getByTestId("prompt").fill("");
    await page.getByTestId("prompt").press("?");
    expect(await page.getByTestId("shortcut-sheet").count()).toBe(0);
    await page.getByTestId("history").click({ position: { x: 4, y: 4 } });
    await page.keyboard.press("?");
    await page.getByTestId("shortcut-sheet").waitFor();
    await shootViews(page, "studio-shortcuts", page.getByTestId("shortcut-sheet"));
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("shortcut-sheet").count()).toBe(0);
    // E and G switch the composer's mode.
    await page.keyboard.press("e");
    await expect.poll(() => page.getByTestId("mode-edit").getAttribute("aria-checked")).toBe("true");
    await page.keyboard.press("g");
    await expect.poll(() => page.getByTestId("mode-generate").getAttribute("aria-checked")).toBe("true");
  }, 120_000);
});
