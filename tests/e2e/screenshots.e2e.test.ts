// The panel's main states as a user sees them, at 1280 and 480 px, in English and Chinese, light
// and dark: tests/e2e/screenshots/<state>-<width>-<locale>-<theme>.png. Each state is set up once;
// language and theme then switch live (the panel follows `hf:locale` and the host's data-theme), so
// running requests keep running while the eight pictures are taken.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, queueManagedFault, requestCard, screenshot, setBaseUrl, setSession, useHarness } from "./support/harness.ts";

const harness = useHarness();
let page: Page;

beforeAll(async () => {
  ({ page } = await openPanel(harness()));
  await setSession(page, "HaloForge Cloud");
  await chooseMode(page, "HaloForge Cloud");
}, 60_000);
afterAll(() => page.close());

async function setLocale(locale: "en" | "zh") {
  await page.evaluate((next) => {
    localStorage.setItem("hf:locale", next);
    window.dispatchEvent(new StorageEvent("storage", { key: "hf:locale" }));
    // The toolbar shows it too; set without a change event, which would remount the panel.
    const radio = document.querySelector<HTMLInputElement>(`[role="radiogroup"][aria-label="Locale"] input[value="${next}"]`);
    if (radio) radio.checked = true;
  }, locale);
  await expect.poll(() => page.locator(".hfmig-root").getAttribute("lang")).toBe(locale === "zh" ? "zh-CN" : "en");
}

/** Eight pictures of what the page shows now, with `focus` scrolled into view. The theme radio is
 * clicked as a DOM event: the viewer's backdrop covers the toolbar. */
async function shoot(state: string, focus: Locator) {
  for (const locale of ["en", "zh"] as const) {
    await setLocale(locale);
    for (const theme of ["light", "dark"] as const) {
      await page.getByRole("radiogroup", { name: "Theme" }).getByRole("radio", { name: theme === "light" ? "Light" : "Dark" }).dispatchEvent("click");
      for (const width of [1280, 480]) {
        await page.setViewportSize({ width, height: 860 });
        await focus.scrollIntoViewIfNeeded();
        // Two frames after a resize: a grid that wraps to a new row is painted by then.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        await screenshot(page, `${state}-${width}-${locale}-${theme}`);
      }
    }
  }
  await page.setViewportSize({ width: 1280, height: 860 });
  await setLocale("en");
}

const count = (n: number) => page.getByTestId("count").fill(String(n));

describe("screenshots of the panel's main states", () => {
  it("shows partial success, the viewer, mixed history, settings, a running request with placeholders and a retry countdown", async () => {
    await queueManagedFault(page, "status:400:content_policy_violation");
    await generate(page, "a request the provider refuses");
    await expect.poll(() => phaseOf(page, "a request the provider refuses"), { timeout: 20_000 }).toBe("failed");
    await generate(page, "a lighthouse at dusk");
    await expect.poll(() => phaseOf(page, "a lighthouse at dusk"), { timeout: 20_000 }).toBe("succeeded");
    await queueManagedFault(page, "partial:1");
    await count(2);
    await generate(page, "two foxes in the snow");
    await expect.poll(() => phaseOf(page, "two foxes in the snow"), { timeout: 20_000 }).toBe("partiallySucceeded");
    await shoot("partial-success", requestCard(page, "two foxes in the snow"));

    await page.getByTestId("gallery-image").first().locator("img").click();
    await page.getByTestId("viewer").waitFor();
    await shoot("viewer", page.getByTestId("viewer"));
    await page.keyboard.press("Escape");

    await shoot("history-mixed", page.getByTestId("history"));

    await page.getByRole("button", { name: "Open settings" }).first().click();
    await shoot("settings", page.getByTestId("settings"));
    await page.getByRole("button", { name: "Close settings" }).click();

    await queueManagedFault(page, "latency=90000");
    await count(4);
    await generate(page, "four paper lanterns on a river");
    await expect.poll(() => page.getByTestId("result-placeholder").count(), { timeout: 20_000 }).toBe(4);
    await shoot("running-placeholders", page.getByTestId("result-placeholder").first());

    await setBaseUrl(page, harness().fakeUrl("fault=rate-limit:60"));
    await chooseMode(page, "Custom endpoint");
    await count(1);
    await generate(page, "a request that waits to retry");
    await expect.poll(() => phaseOf(page, "a request that waits to retry"), { timeout: 20_000 }).toBe("waitingRetry");
    await shoot("retry-countdown", requestCard(page, "a request that waits to retry"));
  }, 240_000);
});
