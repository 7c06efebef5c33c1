// End to end: the gateway status follows what the host proved (the free saved-output listing and
// real answers), never a guess; a managed cancel is honest about billing and keeps late images;
// a request cut off by a reload is recovered from the gateway's saved outputs or stays interrupted.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, queueManagedFault, refocus, requestCard, screenshot, setSession, upstreamCalls, useHarness } from "./support/harness.ts";

const harness = useHarness();
let page: Page;

const status = () => page.getByTestId("gateway-status");
const tone = () => status().getAttribute("data-tone");

beforeEach(async () => {
  ({ page } = await openPanel(harness()));
  await setSession(page, "HaloForge Cloud");
  await chooseMode(page, "HaloForge Cloud");
  await refocus(page);
  await expect.poll(tone, { timeout: 10_000 }).toBe("ok");
});

afterEach(async () => {
  await page.close();
});

describe("gateway truth in the dev host", () => {
  it("shows a sign-out within seconds without a paid call, and a sign-in as verified", async () => {
    const before = upstreamCalls(harness());
    await setSession(page, "Signed out");
    await refocus(page);
    await expect.poll(() => status().innerText(), { timeout: 5_000 }).toContain("signed out");
    expect(await tone()).toBe("bad");
    await screenshot(page, "managed-signed-out-probe");
    // The sign-in fix looks again; while still signed out it stays signed out.
    await page.getByTestId("gateway-fix").click();
    await page.waitForTimeout(1_500);
    expect(await status().innerText()).toContain("signed out");
    expect(upstreamCalls(harness())).toBe(before);

    await setSession(page, "HaloForge Cloud");
    await page.getByTestId("gateway-fix").click();
    await expect.poll(tone, { timeout: 5_000 }).toBe("ok");
    expect(await page.getByTestId("gateway-proof").innerText()).toContain("session answered");
    expect(upstreamCalls(harness())).toBe(before);
  }, 60_000);

  it("opens neutral (not yet known) when the session is unproven, never green", async () => {
    // A host that answers the listing with something malformed proves nothing.
    await page.getByRole("radiogroup", { name: "Host bridge" }).getByRole("radio", { name: "Malformed answers" }).check();
    await page.getByRole("button", { name: "Remount panel" }).click();
    await page.getByTestId("generate").waitFor();
    await page.waitForTimeout(1_500);
    expect(await tone()).toBe("neutral");
    expect(await page.getByTestId("gateway-proof").innerText()).toMatch(/not confirmed yet/);
    await page.getByRole("radiogroup", { name: "Host bridge" }).getByRole("radio", { name: "Present" }).check();
  }, 60_000);

  it("says a managed cancel may still bill, and keeps the late image, marked, in results and history", async () => {
    await queueManagedFault(page, "latency=3000");
    await generate(page, "a slow lighthouse, cancelled");
    const card = requestCard(page, "a slow lighthouse, cancelled");
    await expect.poll(() => phaseOf(page, "a slow lighthouse, cancelled"), { timeout: 10_000 }).toBe("requesting");
    await card.getByTestId("cancel").click();
    await expect.poll(() => card.getByTestId("cancel-note").innerText()).toContain("may still finish and bill");
    expect(await phaseOf(page, "a slow lighthouse, cancelled")).toBe("cancelling");
    await screenshot(page, "managed-cancel-may-bill");
    await expect.poll(() => phaseOf(page, "a slow lighthouse, cancelled"), { timeout: 15_000 }).toBe("cancelled");
    expect(await card.getByTestId("after-cancel").count()).toBe(1);
    const item = page.getByTestId("history-item").filter({ hasText: "a slow lighthouse, cancelled" });
    await expect.poll(() => item.getByTestId("history-after-cancel").count()).toBe(1);
  }, 60_000);

  it("recovers the images of a managed request a reload cut off from the gateway's saved outputs", async () => {
    await queueManagedFault(page, "latency=2500");
    await generate(page, "a lighthouse the reload cuts off");
    await expect.poll(() => phaseOf(page, "a lighthouse the reload cuts off"), { timeout: 10_000 }).toBe("requesting");
    const calls = upstreamCalls(harness());
    await page.reload();
    await page.getByTestId("generate").waitFor();
    const item = page.getByTestId("history-item").filter({ hasText: "a lighthouse the reload cuts off" });
    await expect.poll(() => item.getByTestId("history-status").innerText(), { timeout: 10_000 }).toMatch(/interrupted/i);
    // The host finishes the call on its own; coming back into view lists the saved outputs (free).
    await page.waitForTimeout(3_000);
    await refocus(page);
    await expect.poll(() => item.getByTestId("history-recovered").count(), { timeout: 10_000 }).toBe(1);
    expect(await item.locator("img").count()).toBe(1);
    expect(upstreamCalls(harness())).toBe(calls);
    await screenshot(page, "history-recovered");
  }, 60_000);
});
