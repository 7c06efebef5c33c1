// End to end: the built development bundle in the dev host's HaloForge-shaped page, driven by
// Debian's chromium. Needs `npm run build:e2e` (run by `npm test` before vitest).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, prepareEdit, requestCard, screenshot, setBaseUrl, setSession, useHarness } from "./support/harness.ts";

const PLANTED_KEY = "sk-e2e-PLANTED-KEY-0123456789abcdef";
const PLANTED_PROMPT = "planted prompt: a lighthouse at dusk, 7c1f";

const harness = useHarness();
let page: Page;
let messages: string[];
/** Console errors and page errors of every test, checked by the last one. */
const consoleProblems: string[] = [];

const shot = (name: string) => screenshot(page, name);
const gatewayLabel = () => page.getByTestId("gateway-label");
const card = (prompt: string) => requestCard(page, prompt);
const phase = (prompt: string) => phaseOf(page, prompt);

beforeEach(async () => {
  ({ page, messages } = await openPanel(harness()));
  await setSession(page, "HaloForge Cloud");
  await expect.poll(() => gatewayLabel().textContent()).toBeTruthy();
});

afterEach(async () => {
  consoleProblems.push(...messages.filter((message) => /^(error|pageerror): /.test(message)));
  await page.close();
});

describe("the panel in the dev host", () => {
  it("generates through the mock gateway (development build)", async () => {
    await chooseMode(page, "Mock");
    await expect.poll(() => gatewayLabel().textContent()).toBe("Mock gateway");
    await generate(page, "a paper boat on a pond");
    await expect.poll(() => phase("a paper boat on a pond")).toBe("succeeded");
    expect(await page.getByTestId("gallery-image").count()).toBeGreaterThan(0);
    await shot("mock-generate");
  }, 60_000);

  it("generates through the managed gateway for Cloud and Enterprise sessions, never saying Enterprise gateway", async () => {
    await chooseMode(page, "HaloForge Cloud");
    await expect.poll(() => gatewayLabel().textContent()).toBe("HaloForge Cloud gateway");
    await generate(page, "a lighthouse through the HaloForge Cloud gateway");
    await expect.poll(() => phase("a lighthouse through the HaloForge Cloud gateway"), { timeout: 20_000 }).toBe("succeeded");
    await shot("managed-cloud");

    await setSession(page, "Enterprise Server");
    await chooseMode(page, "Auto");
    await expect.poll(() => gatewayLabel().textContent()).toBe("Managed gateway");
    await generate(page, "a lighthouse through an Enterprise Server session");
    await expect.poll(() => phase("a lighthouse through an Enterprise Server session"), { timeout: 20_000 }).toBe("succeeded");
    expect(await page.locator("body").innerText()).not.toMatch(/enterprise gateway/i);
  }, 60_000);

  it("explains a sign-out instead of failing silently", async () => {
    await chooseMode(page, "HaloForge Cloud");
    await setSession(page, "Signed out");
    await generate(page, "a request while signed out");
    await expect.poll(() => phase("a request while signed out"), { timeout: 20_000 }).toBe("failed");
    await expect.poll(() => page.getByTestId("gateway-status").innerText()).toContain("signed out");
    await shot("managed-signed-out");
  }, 60_000);

  it("generates through the custom endpoint with a write-only key that never leaks", async () => {
    await page.getByRole("button", { name: "Open settings" }).first().click();
    await page.getByTestId("base-url").fill(harness().fakeUrl());
    await page.getByTestId("api-key").fill(PLANTED_KEY);
    await page.getByTestId("save-key").click();
    await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
    await shot("settings-custom-endpoint");
    await page.getByRole("button", { name: "Close settings" }).click();
    await chooseMode(page, "Custom endpoint");
    await expect.poll(() => gatewayLabel().textContent()).toBe("Custom endpoint");

    await generate(page, PLANTED_PROMPT);
    await expect.poll(() => phase(PLANTED_PROMPT), { timeout: 20_000 }).toBe("succeeded");
    await shot("custom-endpoint-generate");

    const log = harness().logText();
    expect(log).toMatch(/image request started .*gateway=custom/);
    expect(log).toMatch(/image request succeeded .*gateway=custom/);
    expect(log).not.toContain(PLANTED_KEY);
    expect(log).not.toContain(PLANTED_PROMPT);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(storage).not.toContain(PLANTED_KEY);
    expect(await page.content()).not.toContain(PLANTED_KEY);
  }, 60_000);

  it("shows a 401 with the fix, and a 429 with its retry countdown", async () => {
    await setBaseUrl(page, harness().fakeUrl("fault=401"));
    await chooseMode(page, "Custom endpoint");
    await generate(page, "a request with a refused key");
    await expect.poll(() => phase("a request with a refused key"), { timeout: 20_000 }).toBe("failed");
    expect(await card("a request with a refused key").getByTestId("error-hint").innerText()).toContain("Check the profile's key header (Bearer, api-key or x-goog-api-key), then its key.");
    await shot("custom-401");

    await setBaseUrl(page, harness().fakeUrl("fault=rate-limit:8"));
    await generate(page, "a request that is rate limited");
    await expect.poll(() => phase("a request that is rate limited"), { timeout: 20_000 }).toBe("waitingRetry");
    await expect.poll(() => card("a request that is rate limited").getByTestId("retry-countdown").innerText()).toMatch(/attempt 2 of 3 in \d+\.\d s/);
    await shot("custom-429-retry");
  }, 60_000);

  it("cancels a slow request and keeps the draft", async () => {
    await setBaseUrl(page, harness().fakeUrl("latency=20000"));
    await chooseMode(page, "Custom endpoint");
    await generate(page, "a request I will cancel");
    await expect.poll(() => phase("a request I will cancel"), { timeout: 20_000 }).toBe("requesting");
    await card("a request I will cancel").getByTestId("cancel").click();
    await expect.poll(() => phase("a request I will cancel")).toBe("cancelled");
    await expect.poll(() => harness().logText()).toMatch(/image request cancelled .*gateway=custom/);
    expect(await page.getByTestId("prompt").inputValue()).toBe("a request I will cancel");
  }, 60_000);

  it("edits with two references and a painted mask through the custom endpoint", async () => {
    await setBaseUrl(page, harness().fakeUrl());
    await chooseMode(page, "Custom endpoint");
    await prepareEdit(page, harness(), 2);
    await shot("edit-two-references-mask");
    await generate(page, "replace the sky with aurora");
    await expect.poll(() => phase("replace the sky with aurora"), { timeout: 20_000 }).toBe("succeeded");
    await expect.poll(() => harness().logText()).toMatch(/image request succeeded .*operation=edit/);

    // The references and the mask are part of the draft: a reload brings them back, ready to send.
    await page.reload();
    await expect.poll(() => page.getByTestId("reference").count()).toBe(2);
    await expect.poll(() => page.getByTestId("reference").first().innerText()).toContain("Mask set");
    await generate(page, "the same edit after a reload");
    await expect.poll(() => phase("the same edit after a reload"), { timeout: 20_000 }).toBe("succeeded");
    expect(harness().logText().match(/image request succeeded .*operation=edit/g)).toHaveLength(2);
  }, 60_000);

  it("paints the mask with the keyboard alone, undoes a stroke, and shows the mask again after a reload", async () => {
    // A 64×64 reference, so cursor moves and strokes cover distinct pixels.
    const reference = join(harness().home, "keyboard-reference.png");
    const dataUrl = await page.evaluate(() => Object.assign(document.createElement("canvas"), { width: 64, height: 64 }).toDataURL("image/png"));
    writeFileSync(reference, Buffer.from(dataUrl.split(",")[1]!, "base64"));
    await page.getByTestId("mode-edit").click();
    await page.getByTestId("reference-input").setInputFiles(reference);
    await page.getByTestId("paint-mask").click();
    const painter = page.getByTestId("mask-painter");
    const canvas = painter.getByRole("application", { name: "Mask canvas: paint the area to change" });
    const undo = painter.getByRole("button", { name: "Undo the last stroke" });
    /** Painted pixels on the mask canvas, as the user sees them. */
    const painted = () => canvas.evaluate((element: HTMLCanvasElement) => element.getContext("2d")!.getImageData(0, 0, element.width, element.height).data.filter((value, index) => index % 4 === 3 && value > 0).length);
    await expect.poll(() => canvas.evaluate((element: HTMLCanvasElement) => element.width)).toBe(64);

    await canvas.focus();
    expect(await page.getByTestId("mask-cursor").isVisible()).toBe(true);
    await page.keyboard.press("Space");
    await expect.poll(() => page.getByTestId("mask-status").innerText()).toBe("Mask set");
    const dab = await painted();
    expect(dab).toBeGreaterThan(0);
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.down("Shift");
    for (let step = 0; step < 4; step += 1) await page.keyboard.press("ArrowDown");
    await page.keyboard.up("Shift");
    const stroke = await painted();
    expect(stroke).toBeGreaterThan(dab);
    await undo.click();
    expect(await painted()).toBe(dab);
    await painter.getByRole("button", { name: "Redo" }).click();
    expect(await painted()).toBe(stroke);

    // The mask went into the saved draft as a PNG; reopening the painter decodes it back to strokes.
    await expect.poll(() => page.getByTestId("reference").first().innerText()).toContain("Mask set");
    await page.reload();
    await expect.poll(() => page.getByTestId("reference").count()).toBe(1);
    await page.getByTestId("paint-mask").click();
    await expect.poll(painted).toBe(stroke);
    expect(await undo.isDisabled()).toBe(true);
  }, 60_000);

  it("keeps a running request on its gateway when the mode changes, and uses the new one next", async () => {
    await setBaseUrl(page, harness().fakeUrl("latency=3000"));
    await chooseMode(page, "Custom endpoint");
    await generate(page, "started on the custom endpoint");
    await expect.poll(() => phase("started on the custom endpoint"), { timeout: 20_000 }).toBe("requesting");
    await chooseMode(page, "Mock");
    await generate(page, "started on the mock gateway");
    await expect.poll(() => phase("started on the mock gateway"), { timeout: 20_000 }).toBe("succeeded");
    await expect.poll(() => phase("started on the custom endpoint"), { timeout: 20_000 }).toBe("succeeded");
    expect(await card("started on the mock gateway").innerText()).toContain("Mock gateway");
    expect(await card("started on the custom endpoint").innerText()).toContain("Custom endpoint");
  }, 60_000);

  it("shows a request cut off by a reload as interrupted, with a retry", async () => {
    await setBaseUrl(page, harness().fakeUrl("latency=20000"));
    await chooseMode(page, "Custom endpoint");
    await generate(page, "a request the reload cuts off");
    await expect.poll(() => phase("a request the reload cuts off"), { timeout: 20_000 }).toBe("requesting");
    await page.reload();
    const item = page.getByTestId("history-item").first();
    await expect.poll(() => item.getByTestId("history-status").innerText(), { timeout: 20_000 }).toMatch(/interrupted/i);
    expect(await item.getByTestId("history-rerun").isVisible()).toBe(true);
    expect(await page.getByTestId("prompt").inputValue()).toBe("a request the reload cuts off");
    await shot("history-interrupted");
  }, 60_000);

  it("renders in light and dark themes and in Chinese", async () => {
    await page.getByRole("radiogroup", { name: "Theme" }).getByRole("radio", { name: "Light" }).check();
    await shot("theme-light");
    await page.getByRole("radiogroup", { name: "Theme" }).getByRole("radio", { name: "Dark" }).check();
    await page.getByRole("radiogroup", { name: "Locale" }).getByRole("radio", { name: "Chinese" }).check();
    await expect.poll(() => page.locator(".hfmig-title").innerText()).toBe("图像网关");
    await shot("theme-dark-zh");
    await page.getByRole("radiogroup", { name: "Locale" }).getByRole("radio", { name: "English" }).check();
  }, 60_000);

  it("runs under the host page's strict Content-Security-Policy without a violation or console error", () => {
    expect(consoleProblems.filter((problem) => !/Failed to load resource/.test(problem))).toEqual([]);
  });
});
