// End to end: the built development bundle in the dev host's HaloForge-shaped page, driven by
// Debian's chromium. Needs `npm run build:e2e` (run by `npm test` before vitest).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDevhost, type RunningDevhost } from "../../scripts/dev/devhost.ts";
import { launchChromium } from "./support/chromium.ts";

const ROOT = join(import.meta.dirname, "../..");
const SCREENSHOTS = join(import.meta.dirname, "screenshots");
const PLANTED_KEY = "sk-e2e-PLANTED-KEY-0123456789abcdef";
const PLANTED_PROMPT = "planted prompt: a lighthouse at dusk, 7c1f";
// A 1×1 PNG: the fake provider and the panel both take it as a reference image.
const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let devhost: RunningDevhost;
let browser: Browser;
let page: Page;
let home: string;
const consoleProblems: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const logText = () => {
  const dir = join(home, ".haloforge", "logs");
  return readdirSync(dir)
    .filter((file) => file.startsWith("haloforge.log."))
    .map((file) => readFileSync(join(dir, file), "utf8"))
    .join("");
};
const gatewayLabel = () => page.getByTestId("gateway-label");
const requests = () => page.getByTestId("request");
/** The card of the request with this prompt (cards are newest first; a prompt names one request). */
const card = (prompt: string) => requests().filter({ hasText: prompt }).first();
const phaseOf = (prompt: string) => card(prompt).getAttribute("data-phase");

async function setSession(name: "Signed out" | "HaloForge Cloud" | "Enterprise Server") {
  await page.getByRole("radiogroup", { name: "Session" }).getByRole("radio", { name }).check();
}

async function chooseMode(name: string) {
  await page.getByRole("radiogroup", { name: "Gateway" }).getByRole("radio", { name, exact: true }).click();
}

async function configureCustomEndpoint(baseUrl: string) {
  await page.getByRole("button", { name: "Open settings" }).first().click();
  await page.getByTestId("base-url").fill(baseUrl);
  await page.getByTestId("base-url").blur();
  // The panel shows the URL it will call once the setting is applied.
  await expect.poll(() => page.getByTestId("normalized-url").innerText()).toContain(baseUrl);
  await page.getByRole("button", { name: "Close settings" }).click();
}

async function generate(prompt: string) {
  await page.getByTestId("prompt").fill(prompt);
  await page.getByTestId("generate").click();
}

beforeAll(async () => {
  for (const artifact of ["dist-dev/index.js", "native/devhost/page/dist/index.html"]) {
    if (!existsSync(join(ROOT, artifact))) throw new Error(`${artifact} is missing: run npm run build:e2e first.`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  home = mkdtempSync(join(tmpdir(), "hfmig-e2e-"));
  devhost = await startDevhost({ rootDir: ROOT, args: ["--home", home, "--dist", join(ROOT, "dist-dev")], onLine: () => undefined });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await devhost?.stop();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(20_000);
  page.on("console", (message) => {
    if (message.type() === "error") consoleProblems.push(message.text());
  });
  page.on("pageerror", (error) => consoleProblems.push(String(error)));
  await page.goto(`${devhost.origin}/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await setSession("HaloForge Cloud");
  await expect.poll(() => gatewayLabel().textContent()).toBeTruthy();
});

describe("the panel in the dev host", () => {
  it("generates through the mock gateway (development build)", async () => {
    await chooseMode("Mock");
    await expect.poll(() => gatewayLabel().textContent()).toBe("Mock gateway");
    await generate("a paper boat on a pond");
    await expect.poll(() => phaseOf("a paper boat on a pond")).toBe("succeeded");
    expect(await page.getByTestId("gallery-image").count()).toBeGreaterThan(0);
    await shot("mock-generate");
  }, 60_000);

  it("generates through the managed gateway for Cloud and Enterprise sessions, never saying Enterprise gateway", async () => {
    await chooseMode("HaloForge Cloud");
    await expect.poll(() => gatewayLabel().textContent()).toBe("HaloForge Cloud gateway");
    await generate("a lighthouse through the HaloForge Cloud gateway");
    await expect.poll(() => phaseOf("a lighthouse through the HaloForge Cloud gateway"), { timeout: 20_000 }).toBe("succeeded");
    await shot("managed-cloud");

    await setSession("Enterprise Server");
    await chooseMode("Auto");
    await expect.poll(() => gatewayLabel().textContent()).toBe("Managed gateway");
    await generate("a lighthouse through an Enterprise Server session");
    await expect.poll(() => phaseOf("a lighthouse through an Enterprise Server session"), { timeout: 20_000 }).toBe("succeeded");
    expect(await page.locator("body").innerText()).not.toMatch(/enterprise gateway/i);
  }, 60_000);

  it("explains a sign-out instead of failing silently", async () => {
    await chooseMode("HaloForge Cloud");
    await setSession("Signed out");
    await generate("a request while signed out");
    await expect.poll(() => phaseOf("a request while signed out"), { timeout: 20_000 }).toBe("failed");
    await expect.poll(() => page.getByTestId("gateway-status").innerText()).toContain("signed out");
    await shot("managed-signed-out");
  }, 60_000);

  it("generates through the custom endpoint with a write-only key that never leaks", async () => {
    await page.getByRole("button", { name: "Open settings" }).first().click();
    await page.getByTestId("base-url").fill(devhost.fakeBaseUrl);
    await page.getByTestId("api-key").fill(PLANTED_KEY);
    await page.getByTestId("save-key").click();
    await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
    await shot("settings-custom-endpoint");
    await page.getByRole("button", { name: "Close settings" }).click();
    await chooseMode("Custom endpoint");
    await expect.poll(() => gatewayLabel().textContent()).toBe("Custom endpoint");

    await generate(PLANTED_PROMPT);
    await expect.poll(() => phaseOf(PLANTED_PROMPT), { timeout: 20_000 }).toBe("succeeded");
    await shot("custom-endpoint-generate");

    const log = logText();
    expect(log).toMatch(/image request started .*gateway=custom/);
    expect(log).toMatch(/image request succeeded .*gateway=custom/);
    expect(log).not.toContain(PLANTED_KEY);
    expect(log).not.toContain(PLANTED_PROMPT);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(storage).not.toContain(PLANTED_KEY);
    expect(await page.content()).not.toContain(PLANTED_KEY);
  }, 60_000);

  it("shows a 401 with the fix, and a 429 with its retry countdown", async () => {
    const faulty = (fault: string) => devhost.fakeBaseUrl.replace(/\/v1$/, `/fake/fault=${fault}/v1`);
    await configureCustomEndpoint(faulty("401"));
    await chooseMode("Custom endpoint");
    await generate("a request with a refused key");
    await expect.poll(() => phaseOf("a request with a refused key"), { timeout: 20_000 }).toBe("failed");
    expect(await card("a request with a refused key").getByTestId("error-hint").innerText()).toContain("Check the API key in settings.");
    await shot("custom-401");

    await configureCustomEndpoint(faulty("rate-limit:8"));
    await generate("a request that is rate limited");
    await expect.poll(() => phaseOf("a request that is rate limited"), { timeout: 20_000 }).toBe("waitingRetry");
    await expect.poll(() => card("a request that is rate limited").getByTestId("retry-countdown").innerText()).toMatch(/retrying in \d+ s/);
    await shot("custom-429-retry");
  }, 60_000);

  it("cancels a slow request and keeps the draft", async () => {
    await configureCustomEndpoint(devhost.fakeBaseUrl.replace(/\/v1$/, "/fake/latency=20000/v1"));
    await chooseMode("Custom endpoint");
    await generate("a request I will cancel");
    await expect.poll(() => phaseOf("a request I will cancel"), { timeout: 20_000 }).toBe("requesting");
    await card("a request I will cancel").getByTestId("cancel").click();
    await expect.poll(() => phaseOf("a request I will cancel")).toBe("cancelled");
    await expect.poll(() => logText()).toMatch(/image request cancelled .*gateway=custom/);
    expect(await page.getByTestId("prompt").inputValue()).toBe("a request I will cancel");
  }, 60_000);

  it("edits with two references and a painted mask through the custom endpoint", async () => {
    const references = [join(home, "first-reference.png"), join(home, "second-reference.png")];
    for (const file of references) writeFileSync(file, TINY_PNG);
    await configureCustomEndpoint(devhost.fakeBaseUrl);
    await chooseMode("Custom endpoint");
    await page.getByTestId("mode-edit").click();
    await page.getByTestId("reference-input").setInputFiles(references);
    await expect.poll(() => page.getByTestId("reference").count()).toBe(2);
    await page.getByTestId("paint-mask").click();
    const canvas = page.getByRole("img", { name: /mask/i }).or(page.locator('[data-testid="mask-painter"] canvas')).first();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId("mask-status").innerText()).toBe("Mask set");
    await shot("edit-two-references-mask");
    await generate("replace the sky with aurora");
    await expect.poll(() => phaseOf("replace the sky with aurora"), { timeout: 20_000 }).toBe("succeeded");
    await expect.poll(() => logText()).toMatch(/image request succeeded .*operation=edit/);
  }, 60_000);

  it("keeps a running request on its gateway when the mode changes, and uses the new one next", async () => {
    await configureCustomEndpoint(devhost.fakeBaseUrl.replace(/\/v1$/, "/fake/latency=3000/v1"));
    await chooseMode("Custom endpoint");
    await generate("started on the custom endpoint");
    await expect.poll(() => phaseOf("started on the custom endpoint"), { timeout: 20_000 }).toBe("requesting");
    await chooseMode("Mock");
    await generate("started on the mock gateway");
    await expect.poll(() => phaseOf("started on the mock gateway"), { timeout: 20_000 }).toBe("succeeded");
    await expect.poll(() => phaseOf("started on the custom endpoint"), { timeout: 20_000 }).toBe("succeeded");
    expect(await card("started on the mock gateway").innerText()).toContain("Mock gateway");
    expect(await card("started on the custom endpoint").innerText()).toContain("Custom endpoint");
  }, 60_000);

  it("shows a request cut off by a reload as interrupted, with a retry", async () => {
    await configureCustomEndpoint(devhost.fakeBaseUrl.replace(/\/v1$/, "/fake/latency=20000/v1"));
    await chooseMode("Custom endpoint");
    await generate("a request the reload cuts off");
    await expect.poll(() => phaseOf("a request the reload cuts off"), { timeout: 20_000 }).toBe("requesting");
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
