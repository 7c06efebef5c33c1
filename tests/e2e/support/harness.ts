// Shared set-up for end-to-end files: a devhost with a temporary home serving the development
// bundle, Debian's chromium, and readers for what the run left behind (log file, page storage).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { startDevhost, type RunningDevhost } from "../../../scripts/dev/devhost.ts";
import { launchChromium } from "./chromium.ts";

export const ROOT = join(import.meta.dirname, "../../..");
/** README.md shows some of these; every run rewrites them. */
export const SCREENSHOTS = join(import.meta.dirname, "../screenshots");

export interface Harness {
  devhost: RunningDevhost;
  browser: Browser;
  home: string;
  /** Every log file under `<home>/.haloforge/logs/`, concatenated. */
  logText(): string;
  /** The fake provider's base URL with fake-provider options in its path, e.g. "latency=3000". */
  fakeUrl(options?: string): string;
  close(): Promise<void>;
}

export async function startHarness(extraArgs: string[] = []): Promise<Harness> {
  for (const artifact of ["dist-dev/index.js", "native/devhost/page/dist/index.html"]) {
    if (!existsSync(join(ROOT, artifact))) throw new Error(`${artifact} is missing: run npm run build:e2e first.`);
  }
  const home = mkdtempSync(join(tmpdir(), "hfmig-e2e-"));
  const devhost = await startDevhost({ rootDir: ROOT, args: ["--home", home, "--dist", join(ROOT, "dist-dev"), ...extraArgs], onLine: () => undefined });
  const browser = await launchChromium();
  const logDir = join(home, ".haloforge", "logs");
  return {
    devhost,
    browser,
    home,
    logText: () =>
      existsSync(logDir)
        ? readdirSync(logDir)
            .map((file) => readFileSync(join(logDir, file), "utf8"))
            .join("")
        : "",
    fakeUrl: (options) => (options ? devhost.fakeBaseUrl.replace(/\/v1$/, `/fake/${options}/v1`) : devhost.fakeBaseUrl),
    close: async () => {
      await browser.close();
      await devhost.stop();
    },
  };
}

/** One harness for the calling test file: started before its tests, closed after them. */
export function useHarness(extraArgs: string[] = []): () => Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(extraArgs);
  }, 90_000);
  afterAll(async () => {
    await harness?.close();
  });
  return () => {
    if (!harness) throw new Error("The harness did not start (see the beforeAll error).");
    return harness;
  };
}

/** A page on the dev host with a clean localStorage, console output collected into `messages`. */
export async function openPanel(harness: Harness): Promise<{ page: Page; messages: string[] }> {
  const page = await harness.browser.newPage({ viewport: { width: 1280, height: 860 } });
  // A loaded 2-core machine can take longer than Playwright's default for a click to land.
  page.setDefaultTimeout(20_000);
  const messages: string[] = [];
  page.on("console", (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => messages.push(`pageerror: ${String(error)}`));
  await page.goto(`${harness.devhost.origin}/`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByTestId("generate").waitFor();
  return { page, messages };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Switches the panel's locale as the host does (its storage key and event), without a remount. */
export async function setLocale(page: Page, locale: "en" | "zh") {
  await page.evaluate((next) => {
    localStorage.setItem("hf:locale", next);
    window.dispatchEvent(new StorageEvent("storage", { key: "hf:locale" }));
  }, locale);
  await expect.poll(() => page.locator(".hfmig-root").getAttribute("lang")).toBe(locale === "zh" ? "zh-CN" : "en");
}

export type ShotView = readonly ["en" | "zh", 1280 | 480];
/** Every locale at both widths. */
export const EVERY_VIEW: readonly ShotView[] = [["en", 1280], ["en", 480], ["zh", 1280], ["zh", 480]];

/**
 * `<state>-<width>-<locale><suffix>.png` for each view, with `focus` in view; back to 1280 px in
 * English after. Two frames after a resize: a grid that wraps to a new row is painted by then.
 */
export async function shootViews(page: Page, state: string, focus: Locator, { views = EVERY_VIEW, suffix = "" }: { views?: readonly ShotView[]; suffix?: string } = {}) {
  for (const [locale, width] of views) {
    await setLocale(page, locale);
    await page.setViewportSize({ width, height: 860 });
    await focus.scrollIntoViewIfNeeded();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await screenshot(page, `${state}-${width}-${locale}${suffix}`);
  }
  await page.setViewportSize({ width: 1280, height: 860 });
  await setLocale(page, "en");
}

/** The dev toolbar's simulated session (devhost state: it outlives the page). */
export async function setSession(page: Page, name: "Signed out" | "HaloForge Cloud" | "Enterprise Server") {
  await page.getByRole("radiogroup", { name: "Session" }).getByRole("radio", { name }).check();
}

export async function chooseMode(page: Page, name: string) {
  await page.getByRole("radiogroup", { name: "Gateway" }).getByRole("radio", { name, exact: true }).click();
}

/**
 * Sets the custom endpoint's base URL and waits until the panel shows the URL it will call, or,
 * for a URL the panel must refuse, the problem it names (`refusedWith`).
 */
export async function setBaseUrl(page: Page, baseUrl: string, { refusedWith }: { refusedWith?: string } = {}) {
  await page.getByRole("button", { name: "Open settings" }).first().click();
  await page.getByTestId("base-url").fill(baseUrl);
  await page.getByTestId("base-url").blur();
  if (refusedWith) await expect.poll(() => page.getByTestId("settings").innerText()).toContain(refusedWith);
  else await expect.poll(() => page.getByTestId("normalized-url").innerText()).toContain(baseUrl);
  await page.getByRole("button", { name: "Close settings" }).click();
}

export async function generate(page: Page, prompt: string) {
  await page.getByTestId("prompt").fill(prompt);
  await page.getByTestId("generate").click();
}

// A 1×1 PNG: the fake provider and the panel both take it as a reference image.
const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

/** Switches the composer to Edit, adds `references` PNG files and paints a stroke of mask on the first. */
export async function prepareEdit(page: Page, harness: Harness, references: number) {
  const files = Array.from({ length: references }, (_, index) => join(harness.home, `reference-${index + 1}.png`));
  for (const file of files) writeFileSync(file, TINY_PNG);
  await page.getByTestId("mode-edit").click();
  await page.getByTestId("reference-input").setInputFiles(files);
  await expect.poll(() => page.getByTestId("reference").count()).toBe(references);
  await page.getByTestId("paint-mask").click();
  const canvas = page.getByTestId("mask-painter").getByRole("application", { name: /mask/i });
  // The whole stroke must be on screen: a pointer outside the viewport reaches no element.
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 8 });
  await page.mouse.up();
  await expect.poll(() => page.getByTestId("mask-status").innerText()).toBe("Mask set");
}

/** The card of the request with this prompt (cards are newest first; a prompt names one request). */
export const requestCard = (page: Page, prompt: string) => page.getByTestId("request").filter({ hasText: prompt }).first();
export const phaseOf = (page: Page, prompt: string) => requestCard(page, prompt).getAttribute("data-phase");

/** localStorage and every IndexedDB database of the page, as one JSON text (Blobs by size). */
export const dumpStorage = (page: Page) =>
  page.evaluate(async () => {
    const databases: Record<string, Record<string, unknown[]>> = {};
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const stores: Record<string, unknown[]> = {};
      for (const name of Array.from(database.objectStoreNames)) {
        stores[name] = await new Promise<unknown[]>((resolve, reject) => {
          const request = database.transaction(name, "readonly").objectStore(name).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      }
      database.close();
      databases[info.name] = stores;
    }
    return JSON.stringify({ localStorage: { ...localStorage }, indexedDB: databases }, (_key, value: unknown) => (value instanceof Blob ? `<Blob ${value.size}>` : value));
  });

/** Queues faults for the next managed requests, one each (a retry is a request of its own). */
export async function queueManagedFault(page: Page, ...faults: string[]) {
  const status = await page.evaluate(
    (specs) => fetch("/host/gateway/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ faults: specs }) }).then((answer) => answer.status),
    faults,
  );
  expect(status, `queue ${faults.join(", ")}`).toBe(200);
}

/** How many managed generation or edit calls the dev host forwarded upstream (each is logged once). */
export const upstreamCalls = (harness: Harness) => (harness.logText().match(/managed gateway request started/g) ?? []).length;

/** The panel's window comes back into view, as after signing in or out elsewhere in HaloForge. */
export const refocus = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event("focus")));
