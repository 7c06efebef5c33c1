// End to end: photo-sized images (the fake provider's `image-size`) arrive as Blobs; the card, the
// result grid and the history row draw one thumbnail made once, and only the viewer loads the full
// image. No image is held as base64 or a data URL in the page. Needs `npm run build:e2e`.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chooseMode, generate, openPanel, phaseOf, requestCard, setBaseUrl, useHarness } from "./support/harness.ts";

const harness = useHarness();
let page: Page;
let messages: string[];

beforeEach(async () => {
  ({ page, messages } = await openPanel(harness()));
  // Tall enough that every (lazily loaded) result is on screen.
  await page.setViewportSize({ width: 1280, height: 2400 });
});

afterEach(async () => {
  expect(messages.filter((message) => /^(error|pageerror): /.test(message))).toEqual([]);
  await page.close();
});

/** Each `<img>` in `selector`: its address and decoded width, once loaded. */
const images = (selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    Promise.all(
      (elements as HTMLImageElement[]).map(async (image) => {
        await image.decode();
        return { src: image.getAttribute("src") ?? "", width: image.naturalWidth };
      }),
    ),
  );

it("draws cards, results and history rows from one thumbnail per image, the full image only in the viewer, and keeps no data URL", async () => {
  await setBaseUrl(page, harness().fakeUrl("image-size=1536x1024,image-bytes=400000"));
  await chooseMode(page, "Custom endpoint");
  await page.getByTestId("count").fill("2");
  await generate(page, "two photo-sized herons");
  await expect.poll(() => phaseOf(page, "two photo-sized herons"), { timeout: 30_000 }).toBe("succeeded");

  const grid = page.getByTestId("result-group").first().getByTestId("gallery-image").locator("img");
  await expect.poll(() => grid.count()).toBe(2);
  const results = await images('[data-testid="result-group"] >> nth=0 >> [data-testid="gallery-image"] img');
  const card = await requestCard(page, "two photo-sized herons").locator(".hfmig-thumbs img").evaluateAll((elements) => elements.map((image) => image.getAttribute("src")));
  await expect.poll(() => page.getByTestId("history-item").first().locator("img").count()).toBe(1);
  const row = await page.getByTestId("history-item").first().locator("img").getAttribute("src");

  // 256-pixel thumbnails, one per image, the same address wherever the image is shown.
  expect(results.map((image) => image.width)).toEqual([256, 256]);
  expect(results[0]!.src).toMatch(/^blob:/);
  expect(results[0]!.src).not.toBe(results[1]!.src);
  expect(card).toEqual(results.map((image) => image.src));
  expect(row).toBe(results[0]!.src);

  // The viewer loads the image itself, full size, from its own Blob address.
  await page.getByTestId("gallery-image").first().getByRole("button").first().click();
  const [full] = await images('[data-testid="viewer-image"]');
  expect(full).toMatchObject({ width: 1536, src: expect.stringMatching(/^blob:/) });
  expect(results.map((image) => image.src)).not.toContain(full!.src);

  const sources = await page.evaluate(() => [...document.querySelectorAll(".hfmig-root [src]")].map((element) => element.getAttribute("src") ?? ""));
  expect(sources.length).toBeGreaterThanOrEqual(6);
  expect(sources.filter((source) => !source.startsWith("blob:"))).toEqual([]);
});
