// End to end: what the answer says it made is shown beside what was asked. The fake provider plays
// a relay whose upstream ignores the quality asked for (`ignore-options`) and echoes what it made,
// as OpenAI's answers do; the viewer's table marks the quality, history's expanded row says it
// too, and both still do after a reload (history keeps the echo). Screenshots at 1280 px in
// English and 480 px in Chinese. Needs `npm run build:e2e`.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, setBaseUrl, useHarness, setLocale, shootViews } from "./support/harness.ts";

const harness = useHarness();
let page: Page;
let messages: string[];

beforeAll(async () => {
  ({ page, messages } = await openPanel(harness()));
}, 60_000);
afterAll(async () => {
  expect(messages.filter((message) => /^(error|pageerror): /.test(message))).toEqual([]);
  await page.close();
});

const PROMPT = "a red fox in the snow";
const row = (table: Locator, field: string) => table.locator(`tr[data-field="${field}"]`);

/** The viewer's table: each row's cells and whether it is marked as differing. */
const tableOf = (table: Locator) =>
  table.locator("tbody tr").evaluateAll((rows) => rows.map((tr) => [tr.getAttribute("data-field"), ...[...tr.querySelectorAll("td")].map((td) => td.textContent?.trim()), tr.getAttribute("data-differs")]));

it("marks the quality the provider made instead of the one asked for, in the viewer and in history, across a reload", async () => {
  await setBaseUrl(page, harness().fakeUrl("image-size=1536x1024,ignore-options"));
  await chooseMode(page, "Custom endpoint");
  await page.getByTestId("size").selectOption("3:2");
  await expect.poll(() => page.getByTestId("size-exact").innerText()).toContain("1536 × 1024");
  await page.getByTestId("quality").selectOption("high");
  await generate(page, PROMPT);
  await expect.poll(() => phaseOf(page, PROMPT), { timeout: 30_000 }).toBe("succeeded");

  await page.getByTestId("gallery-image").first().locator("img").click();
  const table = page.getByTestId("requested-actual");
  // The size is read from the image once it loaded; the quality and background are the answer's echo.
  await expect.poll(() => tableOf(table)).toEqual([
    ["size", "1536x1024", "1536x1024", "false"],
    ["format", "Default", "PNG", "false"],
    ["quality", "High", "Medium", "true"],
    ["background", "Default", "Opaque", "false"],
  ]);
  expect(await row(table, "quality").locator(".is-warn").innerText()).toBe("Medium");
  await shootViews(page, "requested-actual-viewer", table, { views: [["en", 1280], ["zh", 480]] });
  await page.keyboard.press("Escape");

  const historyRow = page.getByTestId("history-item").filter({ hasText: PROMPT }).first();
  await historyRow.getByTestId("history-expand").click();
  const cameBack = historyRow.getByTestId("history-actual");
  await expect.poll(() => cameBack.innerText()).toBe("Came back: Size 1536x1024 · Format PNG · Quality Medium (asked High) · Background Opaque");
  await shootViews(page, "requested-actual-history", historyRow, { views: [["en", 1280], ["zh", 480]] });

  // History keeps the echo: after a reload the row and its viewer still say it.
  await page.reload();
  await page.getByTestId("generate").waitFor();
  const reloaded = page.getByTestId("history-item").filter({ hasText: PROMPT }).first();
  await reloaded.getByTestId("history-expand").click();
  await expect.poll(() => reloaded.getByTestId("history-actual").innerText()).toContain("Quality Medium (asked High)");
  await reloaded.getByRole("button", { name: /^Open/ }).click();
  await expect.poll(() => row(page.getByTestId("requested-actual"), "quality").getAttribute("data-differs")).toBe("true");
  await page.keyboard.press("Escape");
}, 120_000);
