// A batch's results grouped under the batch, through the dev host and its fake provider: a
// 5-prompt batch (one line with variants) whose fourth prompt the provider refuses shows one
// group in Results, "k of n" while it runs, then four requests' images and the refusal's sentence
// in the fourth's place, in the order sent; axe finds nothing serious; the group folds and unfolds; after a reload history
// brings back the same group. Screenshots at 1280 px in English and 480 px in Chinese.
// Needs `npm run build:e2e`.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { chooseMode, openPanel, screenshot, setBaseUrl, useHarness, setLocale } from "./support/harness.ts";

const harness = useHarness();
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations in the batch's group in Results. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not govern.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run: (context: string, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    const { violations } = await axe.run('[data-testid="batch-results"]', { resultTypes: ["violations"] });
    return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => `${violation.id} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  });
}

const BATCH = ["grouped: a {red|blue} kite over the bay", "grouped: a lighthouse at dusk", "grouped: a harbour at noon [refuse]", "grouped: a meadow in spring"].join("\n");
const PROMPTS = ["grouped: a red kite over the bay", "grouped: a blue kite over the bay", "grouped: a lighthouse at dusk", "grouped: a harbour at noon [refuse]", "grouped: a meadow in spring"];

/** What the batch's group in Results shows: its header, each request's prompt line, images and "k of n images" line. */
async function groupOf(page: Page) {
  const group = page.getByTestId("batch-results");
  const requests = await group.getByTestId("result-group").evaluateAll((sections) =>
    sections.map((section) => ({
      prompt: section.querySelector(".hfmig-prompt-preview")?.textContent,
      images: section.querySelectorAll('[data-testid="gallery-image"]').length,
      partial: section.querySelector('[data-testid="result-partial"]')?.textContent?.trim(),
    })),
  );
  return { groups: await group.count(), progress: await group.getByTestId("batch-results-progress").innerText(), images: await group.getByTestId("batch-results-images").innerText(), requests };
}

const ENDED = {
  groups: 1,
  progress: "Batch · 5 of 5 done",
  images: "4 of 5 images",
  requests: PROMPTS.map((prompt, index) => (index === 3 ? { prompt, images: 0, partial: "0 of 1 images. The provider rejected the request." } : { prompt, images: 1, partial: undefined })),
};

it("shows a 5-prompt batch with one refusal as one group in Results: four requests' images and the refusal's sentence, the same after a reload", async () => {
  const { page, messages } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=600"));
  await chooseMode(page, "Custom endpoint");
  await page.getByTestId("run-batch").click();
  await page.getByTestId("prompt").fill(BATCH);
  await page.locator('[data-field="model"]').fill("gpt-image-1");
  await page.getByTestId("quality").selectOption("low");
  await page.getByTestId("generate").click();

  // While it runs: one group, "k of n", placeholders for what is on its way.
  const group = page.getByTestId("batch-results");
  await expect.poll(() => group.getByTestId("batch-results-progress").innerText()).toMatch(/^Batch · [0-4] of 5 done$/);
  expect(await group.getByTestId("result-placeholder").count()).toBeGreaterThan(0);

  await expect.poll(() => group.getByTestId("batch-results-progress").innerText(), { timeout: 30_000 }).toBe("Batch · 5 of 5 done");
  expect(await groupOf(page)).toEqual(ENDED);
  // Four usages at gpt-image-1's list prices.
  expect(await group.getByTestId("batch-results-cost").innerText()).toMatch(/^≈ \$[\d.]+ estimate/);
  expect(await seriousViolations(page)).toEqual([]);
  // Nothing of the batch outside its group.
  expect(await page.locator('.hfmig-gallery > [data-testid="result-group"]').count()).toBe(0);

  // The viewer opens the batch's third image and walks on to the fourth (the refused one has none).
  await group.getByTestId("gallery-image").nth(2).locator(".hfmig-thumb").click();
  const viewer = page.getByTestId("viewer");
  await expect.poll(() => viewer.innerText()).toContain(PROMPTS[2]);
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => viewer.innerText()).toContain(PROMPTS[4]);
  await page.keyboard.press("Escape");

  // The group's header in view.
  const showHeader = async () => {
    await group.locator("header").first().scrollIntoViewIfNeeded();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  };
  await showHeader();
  await screenshot(page, "batch-results-1280-en-dark");
  await setLocale(page, "zh");
  await page.setViewportSize({ width: 480, height: 860 });
  await expect.poll(() => group.getByTestId("batch-results-progress").innerText()).toBe("批次 · 已完成 5/5");
  await showHeader();
  await screenshot(page, "batch-results-480-zh-dark");
  await page.setViewportSize({ width: 1280, height: 860 });
  await setLocale(page, "en");

  // Folded: the header stays, no image is drawn; unfolded again.
  await group.getByTestId("batch-toggle").click();
  await expect.poll(() => group.getByTestId("gallery-image").count()).toBe(0);
  expect(await group.getByTestId("batch-results-images").innerText()).toBe("4 of 5 images");
  expect(await seriousViolations(page)).toEqual([]);
  await group.getByTestId("batch-toggle").click();
  await expect.poll(() => group.getByTestId("gallery-image").count()).toBe(4);

  // After a reload the group comes back from history: the same requests, images and refusal.
  await page.reload();
  await page.getByTestId("generate").waitFor();
  await expect.poll(() => page.getByTestId("batch-results").getByTestId("gallery-image").count(), { timeout: 15_000 }).toBe(4);
  expect(await groupOf(page)).toEqual(ENDED);
  expect(messages.filter((message) => message.startsWith("pageerror"))).toEqual([]);
  await page.close();
}, 240_000);
