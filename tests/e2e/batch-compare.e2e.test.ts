// Batch runs and compare through the dev host and its fake provider: a 5-prompt batch (one line
// with variants) where the provider refuses one prompt, its "k of n" progress and history group;
// bad batch text (0 lines, 10,000 lines, an unbalanced brace) sends nothing and keeps the draft; a
// compare across two models side by side with time, usage and cost, one kept; a compare across a
// signed-out gateway is refused before sending; a batch cut by a reload offers exactly its unsent
// prompts again, as one batch, and sends nothing by itself. Screenshots of the batch preview and the compare
// view at 1280 and 480 px, English and Chinese. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { chooseMode, openPanel, refocus, setBaseUrl, setSession, useHarness, setLocale, shootViews } from "./support/harness.ts";

const harness = useHarness();

/** Every image call the embedded fake provider received (its read-only `GET /calls`). */
async function imageCalls(): Promise<{ path: string }[]> {
  const origin = harness().devhost.fakeBaseUrl.replace(/\/v1$/, "");
  const answer = (await (await fetch(`${origin}/calls`)).json()) as { calls: { path: string }[] };
  return answer.calls.filter((call) => call.path.includes("/images/"));
}

/** Puts `text` in the prompt as one paste would (Playwright's fill types 10,000 lines for minutes). */
const paste = (page: Page, text: string) =>
  page.getByTestId("prompt").evaluate((element, value) => {
    (element as HTMLTextAreaElement).value = value;
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);

const BATCH = ["batch: a {red|blue} kite over the bay", "batch: a lighthouse at dusk", "batch: a harbour at noon [refuse]", "batch: a meadow in spring"].join("\n");

it("runs a 5-prompt batch with one refused prompt: k of n, each sent once, grouped in history; bad text sends nothing and keeps the draft", async () => {
  const { page, messages } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=400"));
  await chooseMode(page, "Custom endpoint");
  await page.getByTestId("run-batch").click();

  // Bad input first: each says why, nothing is sent, the text stays.
  const callsBefore = (await imageCalls()).length;
  const bad = [
    ["", "Nothing to send: write at least one prompt, one per line."],
    ["a fox\na {red|blue fox", "Line 2, column 3: this “{” is never closed. Add “}” after its options."],
    [Array.from({ length: 10_000 }, (_, index) => `line ${index}`).join("\n"), "This makes 10,000 requests; a batch takes at most 100. Remove lines or variants."],
  ] as const;
  for (const [text, said] of bad) {
    await paste(page, text);
    await expect.poll(() => page.getByTestId("batch-problem").innerText()).toBe(said);
    await page.getByTestId("generate").click();
    // Refused: the composer puts the focus back on the prompt, and keeps it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("prompt");
    expect(await page.getByTestId("prompt").inputValue()).toBe(text);
  }
  expect(await page.getByTestId("request").count()).toBe(0);

  await page.getByTestId("prompt").fill(BATCH);
  await page.locator('[data-field="model"]').fill("gpt-image-1");
  await page.getByTestId("quality").selectOption("low");
  // gpt-image-1 at low quality has a published price: the preview adds up five estimates.
  await expect.poll(() => page.getByTestId("batch-preview").innerText()).toMatch(/^5 requests · 5 images · ≈ \$[\d.]+ estimate$/);
  await shootViews(page, "batch-preview", page.getByTestId("run-mode"), { suffix: "-dark" });

  await page.getByTestId("generate").click();
  const batch = page.getByTestId("batch");
  await expect.poll(() => batch.getByTestId("batch-progress").innerText(), { timeout: 30_000 }).toBe("Batch · 5 of 5 done");
  expect(await batch.innerText()).toContain("4 succeeded · 1 failed · 0 cancelled");
  const phases = await batch.getByTestId("request").evaluateAll((cards) => cards.map((card) => [card.querySelector(".hfmig-prompt-preview")?.textContent, card.getAttribute("data-phase")]));
  expect(phases).toEqual([
    ["batch: a red kite over the bay", "succeeded"],
    ["batch: a blue kite over the bay", "succeeded"],
    ["batch: a lighthouse at dusk", "succeeded"],
    ["batch: a harbour at noon [refuse]", "failed"],
    ["batch: a meadow in spring", "succeeded"],
  ]);
  expect(await batch.getByTestId("request").nth(3).getByTestId("error-detail").innerText()).toContain("rejected by the safety system");
  // Each request went out once (a refusal is not retried).
  expect((await imageCalls()).length - callsBefore).toBe(5);
  // The draft is still there after sending.
  expect(await page.getByTestId("prompt").inputValue()).toBe(BATCH);

  // History groups the batch: one click shows its five rows.
  const row = page.getByTestId("history-item").filter({ hasText: "batch: a lighthouse at dusk" });
  await row.getByTestId("history-batch").click();
  await expect.poll(() => page.getByTestId("history-batch-filter").innerText()).toContain("Showing one batch (5 requests).");
  expect(await page.getByTestId("history-item").count()).toBe(5);
  await page.getByTestId("history-show-all").click();
  expect(messages.filter((message) => message.startsWith("pageerror"))).toEqual([]);
  await page.close();
}, 240_000);

it("compares one prompt across two models side by side, keeps one, and refuses a signed-out gateway before sending", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=300"));
  // A compare refuses a profile whose provider takes a key while none is saved: save one.
  await page.getByRole("button", { name: "Open settings" }).first().click();
  await page.getByTestId("api-key").fill("sk-batch-compare-PLANTED-4410");
  await page.getByTestId("save-key").click();
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
  await page.getByRole("button", { name: "Close settings" }).click();
  await chooseMode(page, "Custom endpoint");
  await page.getByTestId("run-compare").click();
  const prompt = "compare: a paper crane on a desk";
  await page.getByTestId("prompt").fill(prompt);
  const models = page.getByTestId("compare-model");
  await models.nth(0).fill("gpt-image-1");
  await models.nth(1).fill("gpt-image-2");
  await expect.poll(() => page.getByTestId("batch-preview").innerText()).toMatch(/^2 requests · 2 images · /);

  const callsBefore = (await imageCalls()).length;
  await page.getByTestId("generate").click();
  const compare = page.getByTestId("compare");
  await expect.poll(() => compare.getByTestId("compare-progress").innerText(), { timeout: 30_000 }).toBe("Compare · 2 of 2 done");
  const columns = compare.getByTestId("compare-column");
  expect(await columns.getByTestId("compare-model-name").allInnerTexts()).toEqual(["gpt-image-1", "gpt-image-2"]);
  for (const index of [0, 1]) {
    const column = columns.nth(index);
    expect(await column.getAttribute("data-phase")).toBe("succeeded");
    expect(await column.getByTestId("compare-time").innerText()).toMatch(/^\d+(\.\d)? s$/);
    expect(await column.getByTestId("usage").innerText()).toContain("100 in · 50 out");
    expect(await column.locator("img").count()).toBe(1);
  }
  // gpt-image-1 has list prices: its column says what it cost.
  expect(await columns.nth(0).getByTestId("usage").innerText()).toMatch(/\$/);
  expect((await imageCalls()).length - callsBefore).toBe(2);

  await columns.nth(1).getByTestId("keep").click();
  await expect.poll(() => columns.nth(1).getByTestId("kept").innerText()).toBe("✓ Kept");
  expect(await columns.nth(0).getByTestId("keep").count()).toBe(1);
  // History keeps both; the kept one is marked.
  const rows = page.getByTestId("history-item").filter({ hasText: prompt });
  await expect.poll(() => rows.count()).toBe(2);
  await expect.poll(() => rows.getByTestId("history-kept").count()).toBe(1);
  await shootViews(page, "compare-view", compare, { suffix: "-dark" });

  // A compare across a gateway that is signed out: refused before sending, everything kept.
  await setSession(page, "Signed out");
  await refocus(page);
  await page.getByTestId("compare-gateway").nth(1).selectOption("cloud");
  await expect
    .poll(() => page.getByTestId("batch-problem").innerText(), { timeout: 10_000 })
    .toBe("Target 2 cannot be sent now. You are signed out of HaloForge: sign in from its account menu.");
  const callsNow = (await imageCalls()).length;
  await page.getByTestId("generate").click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("prompt");
  expect(await page.getByTestId("compare").count()).toBe(1);
  expect(await page.getByTestId("prompt").inputValue()).toBe(prompt);
  expect(await models.nth(1).inputValue()).toBe("gpt-image-2");
  expect((await imageCalls()).length).toBe(callsNow);
  await page.close();
}, 240_000);

/** The plugin's native log: how many custom-endpoint image requests ended (any outcome). */
const nativeEnded = () => (harness().logText().match(/: image request (?:succeeded|failed|cancelled) request_id=/g) ?? []).length;

it("a batch cut by a reload sends nothing more and puts back exactly what was not sent, as one batch", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=4000"));
  await chooseMode(page, "Custom endpoint");
  await page.getByTestId("run-batch").click();
  const prompts = ["reload: a {red|blue} kite", "reload: a lighthouse", "reload: a harbour"];
  const callsBefore = (await imageCalls()).length;
  const endedBefore = nativeEnded();
  await paste(page, prompts.join("\n"));
  await page.getByTestId("generate").click();
  await expect.poll(() => page.getByTestId("request").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-phase")))).toEqual(["requesting", "requesting", "queued", "queued"]);
  await expect.poll(async () => (await imageCalls()).length, { timeout: 10_000 }).toBe(callsBefore + 2);

  await page.reload();
  await page.getByTestId("generate").waitFor();
  // The two calls in flight end natively; a call started by the reloaded page would be recorded by then.
  await expect.poll(nativeEnded, { timeout: 20_000 }).toBe(endedBefore + 2);
  expect((await imageCalls()).length).toBe(callsBefore + 2);

  const rows = page.getByTestId("history-item").filter({ hasText: "reload: a" });
  // Newest first: the batch's later requests above its earlier ones.
  await expect.poll(() => rows.getByTestId("history-status").allInnerTexts(), { timeout: 10_000 }).toEqual(["Not sent", "Not sent", "Interrupted", "Interrupted"]);
  expect(await rows.locator(".hfmig-prompt-preview").first().innerText()).toBe("reload: a harbour");
  await rows.first().getByTestId("history-batch").click();
  await page.getByTestId("prompt").fill("");
  await page.getByTestId("run-single").click();
  await page.getByTestId("history-batch-put-back").click();
  // The composer holds the two unsent prompts, one per line, in batch mode; nothing was sent.
  await expect.poll(() => page.getByTestId("prompt").inputValue()).toBe("reload: a lighthouse\nreload: a harbour");
  expect(await page.getByTestId("run-batch").getAttribute("aria-checked")).toBe("true");
  await expect.poll(() => page.getByTestId("batch-preview").innerText()).toMatch(/^2 requests · 2 images/);
  expect(await page.getByTestId("request").count()).toBe(0);
  expect((await imageCalls()).length).toBe(callsBefore + 2);
  await page.close();
}, 240_000);
