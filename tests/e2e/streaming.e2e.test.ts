// End to end: streamed partial previews, the fallback of an endpoint that does not stream, and
// usage with its estimated cost, through the dev host's fake provider. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, requestCard, screenshot, setSession, useHarness } from "./support/harness.ts";

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

/** The custom endpoint at `baseUrl`, with streamed previews on (`partials` per image). */
async function streamFrom(baseUrl: string, partials = 2) {
  await page.getByRole("button", { name: "Open settings" }).first().click();
  await page.getByTestId("base-url").fill(baseUrl);
  await page.getByTestId("base-url").blur();
  await expect.poll(() => page.getByTestId("normalized-url").innerText()).toContain(baseUrl);
  await page.getByTestId("stream-partials").check();
  await page.getByTestId("partial-images").selectOption(String(partials));
  await page.getByRole("button", { name: "Close settings" }).click();
  await chooseMode(page, "Custom endpoint");
}

const card = (prompt: string) => requestCard(page, prompt);
const phase = (prompt: string) => phaseOf(page, prompt);

describe("streamed previews and usage in the dev host", () => {
  it("shows a preview before the final image, then the image, its usage and totals that add up", async () => {
    await streamFrom(harness().fakeUrl("partial-delay=400"));
    await page.getByLabel("Model", { exact: true }).fill("gpt-image-1");
    await page.getByTestId("quality").selectOption("high");
    // 4,160 published output tokens at high 1024x1024, plus 100 per partial, at $40 per 1M.
    await expect.poll(() => page.getByTestId("estimate").innerText()).toBe("≈ $0.174 estimate");

    await generate(page, "a streamed lighthouse");
    const preview = card("a streamed lighthouse").getByTestId("preview");
    await preview.waitFor();
    expect(await card("a streamed lighthouse").getByTestId("preview-label").innerText()).toBe("Preview");
    expect(await card("a streamed lighthouse").locator(".hfmig-thumbs img:not([alt=Preview])").count()).toBe(0);
    await expect.poll(() => page.getByTestId("result-group").first().getByTestId("preview").count()).toBe(1);
    await screenshot(page, "streamed-preview");

    await expect.poll(() => phase("a streamed lighthouse"), { timeout: 20_000 }).toBe("succeeded");
    expect(await preview.count()).toBe(0);
    expect(await page.getByTestId("result-group").first().getByTestId("gallery-image").count()).toBe(1);
    // The fake provider reports 100 text tokens in and 50 out: (100 × $5 + 50 × $40) / 1M.
    expect(await card("a streamed lighthouse").getByTestId("usage").innerText()).toBe("Tokens: 100 in · 50 out (in: 100 text, 0 image) · ≈ $0.0025 estimate");

    await generate(page, "a second streamed lighthouse");
    await expect.poll(() => phase("a second streamed lighthouse"), { timeout: 20_000 }).toBe("succeeded");
    await expect.poll(() => page.getByTestId("usage-totals").innerText()).toBe("Today 300 tokens ≈ $0.005 · session 300 tokens ≈ $0.005 (estimate)");
    await expect.poll(() => page.getByTestId("history-item").first().getByTestId("usage").innerText()).toContain("≈ $0.0025 estimate");
    await page.getByTestId("result-group").first().getByTestId("gallery-image").locator("button").first().click();
    expect(await page.getByTestId("viewer-details").innerText()).toContain("Tokens: 100 in · 50 out");
    await screenshot(page, "usage-viewer");
    const log = harness().logText();
    expect(log).toMatch(/image request succeeded .*input_tokens=100/);
    expect(log).not.toMatch(/\$0\.|cost=|price/);
  }, 90_000);

  it("keeps the last preview, marked cancelled, when the stream is cancelled", async () => {
    await streamFrom(harness().fakeUrl("fault=stream-hang,partial-delay=100"));
    await generate(page, "a stream I will cancel");
    await card("a stream I will cancel").getByTestId("preview").waitFor();
    await card("a stream I will cancel").getByTestId("cancel").click();
    await expect.poll(() => phase("a stream I will cancel")).toBe("cancelled");
    expect(await card("a stream I will cancel").getByTestId("preview-label").innerText()).toBe("Preview, cancelled");
    expect(await page.getByTestId("result-group").first().getByTestId("preview-label").innerText()).toBe("Preview, cancelled");
    await expect.poll(() => harness().logText()).toMatch(/image request cancelled .*request_id=/);
    await screenshot(page, "streamed-preview-cancelled");
  }, 60_000);

  it("falls back once, with a notice, on an endpoint that refuses streaming, and asks it plainly afterwards", async () => {
    await streamFrom(harness().fakeUrl("fault=stream-refused"));
    await generate(page, "first call to a plain endpoint");
    await expect.poll(() => phase("first call to a plain endpoint"), { timeout: 20_000 }).toBe("succeeded");
    expect(await card("first call to a plain endpoint").getByTestId("stream-notice").innerText()).toContain("does not stream");
    await generate(page, "second call to a plain endpoint");
    await expect.poll(() => phase("second call to a plain endpoint"), { timeout: 20_000 }).toBe("succeeded");
    expect(await card("second call to a plain endpoint").getByTestId("stream-notice").count()).toBe(0);
    expect(harness().logText()).toMatch(/stream_fallback=remembered/);
  }, 60_000);
});
