// Endpoint profiles through the dev host and the fake provider: an Azure profile made from its
// preset by pasting the portal's whole Target URI, generating and editing through it; two profiles
// switched while a request runs, each request staying with its own; the upgrade of the settings
// and key an earlier version stored; profiles exported and imported back. Needs `npm run build:e2e`
// and the native side of endpoint profiles (dialects, per-profile keys, adopt_legacy_key).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { dumpStorage, generate, openPanel, prepareEdit, requestCard, useHarness } from "./support/harness.ts";

const PLUGIN_ID = "dev.haloforge.managed-image-gateway";
const harness = useHarness();

interface ProviderCall {
  method: string;
  path: string;
  query?: string | null;
  authHeaders?: string[];
  keyPresent?: boolean;
}
/** Every call the embedded fake provider received (its read-only `GET /calls`). */
async function providerCalls(): Promise<ProviderCall[]> {
  const origin = new URL(harness().fakeUrl()).origin;
  return ((await (await fetch(`${origin}/calls`)).json()) as { calls: ProviderCall[] }).calls;
}

const openSettings = (page: Page) => page.getByRole("button", { name: "Open settings" }).first().click();
const closeSettings = (page: Page) => page.getByRole("button", { name: "Close settings" }).click();
const chooseGateway = (page: Page, name: string) => page.getByRole("radiogroup", { name: "Gateway" }).getByRole("radio", { name, exact: true }).click();

/** Adds a profile from a preset in the open settings, names it, and returns to its editor. */
async function addProfile(page: Page, preset: string, name: string) {
  await page.getByTestId("profile-preset").selectOption(preset);
  await page.getByTestId("profile-add").click();
  await page.getByTestId("profile-name").fill(name);
  await page.getByTestId("profile-name").blur();
  await expect.poll(() => page.getByTestId("profile-select").locator("option:checked").innerText()).toBe(name);
}

async function setProfileUrl(page: Page, url: string) {
  await page.getByTestId("base-url").fill(url);
  await page.getByTestId("base-url").blur();
}

async function saveKey(page: Page, key: string) {
  await page.getByTestId("api-key").fill(key);
  await page.getByTestId("save-key").click();
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
}

it("makes an Azure profile from its preset and a pasted Target URI, then generates and edits through its deployment", async () => {
  const { page } = await openPanel(harness());
  const base = harness().fakeUrl("mode=azure").replace(/\/v1$/, "/openai");
  await openSettings(page);
  await addProfile(page, "azure-openai-classic", "Work Azure");
  await setProfileUrl(page, `${base}/deployments/img-deploy/images/generations?api-version=2025-04-01-preview`);
  // The pasted URL is split into its fields, with a notice.
  await expect.poll(() => page.getByTestId("url-split").innerText()).toBe("Moved the operation path, the deployment, the API version from the pasted URL into their own fields.");
  expect(await page.getByTestId("base-url").inputValue()).toBe(base);
  expect(await page.getByTestId("profile-deployment").inputValue()).toBe("img-deploy");
  expect(await page.getByTestId("profile-api-version").inputValue()).toBe("2025-04-01-preview");
  expect(await page.getByTestId("profile-auth").inputValue()).toBe("api-key");
  expect(await page.getByTestId("profile-dialect").inputValue()).toBe("azure");
  await saveKey(page, "azure-e2e-key-0123456789");
  await closeSettings(page);

  await chooseGateway(page, "Work Azure");
  await expect.poll(() => page.getByTestId("gateway-label").innerText()).toBe("Work Azure");
  const before = (await providerCalls()).length;
  await generate(page, "an azure lighthouse");
  await expect.poll(() => requestCard(page, "an azure lighthouse").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  expect(await requestCard(page, "an azure lighthouse").getByTestId("request-gateway").innerText()).toBe("Work Azure");

  await prepareEdit(page, harness(), 1);
  await generate(page, "an azure lighthouse, edited");
  await expect.poll(() => requestCard(page, "an azure lighthouse, edited").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");

  const calls = (await providerCalls()).slice(before).filter((call) => call.method === "POST");
  expect(calls.map((call) => `${call.path.replace(/^\/fake\/[^/]+/, "")}?${call.query}`)).toEqual([
    "/openai/deployments/img-deploy/images/generations?api-version=2025-04-01-preview",
    "/openai/deployments/img-deploy/images/edits?api-version=2025-04-01-preview",
  ]);
  for (const call of calls) expect(call).toMatchObject({ authHeaders: ["api-key"], keyPresent: true });
  await page.close();
}, 120_000);

it("keeps each request with the profile it was made through when another is chosen while it runs", async () => {
  const { page } = await openPanel(harness());
  await openSettings(page);
  await addProfile(page, "openai-compatible", "Slow relay");
  await setProfileUrl(page, harness().fakeUrl("latency=3000"));
  await addProfile(page, "openai-compatible", "Fast relay");
  await setProfileUrl(page, harness().fakeUrl("latency=10"));
  await closeSettings(page);

  await chooseGateway(page, "Slow relay");
  await generate(page, "through the slow relay");
  await expect.poll(() => requestCard(page, "through the slow relay").getAttribute("data-phase")).toBe("requesting");
  await chooseGateway(page, "Fast relay");
  await generate(page, "through the fast relay");
  await expect.poll(() => requestCard(page, "through the fast relay").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  // The slow one is still out on its own profile, and finishes there.
  expect(await requestCard(page, "through the slow relay").getAttribute("data-phase")).toBe("requesting");
  await expect.poll(() => requestCard(page, "through the slow relay").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  expect(await requestCard(page, "through the slow relay").getByTestId("request-gateway").innerText()).toBe("Slow relay");
  expect(await requestCard(page, "through the fast relay").getByTestId("request-gateway").innerText()).toBe("Fast relay");
  const paths = (await providerCalls()).filter((call) => call.method === "POST").map((call) => call.path);
  expect(paths.filter((path) => path.includes("latency=3000"))).toHaveLength(1);
  expect(paths.filter((path) => path.includes("latency=10/"))).toHaveLength(1);
  // History says the same.
  await expect.poll(() => page.getByTestId("history-gateway").allInnerTexts()).toEqual(expect.arrayContaining(["Slow relay", "Fast relay"]));
  await page.close();
}, 120_000);

it("upgrades the settings and key an earlier version stored into the profile \"default\", losing nothing, and generates through it", async () => {
  const { page } = await openPanel(harness());
  const oldKey = "sk-earlier-version-PLANTED-5a21";
  // What an earlier version left: its settings in localStorage, its key among the host's plugin
  // settings (the backend moves it into custody as the earlier single key on its next key command;
  // the key file of that version is read only when the plugin loads).
  await page.evaluate(
    ([pluginId, apiKey]) => (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__.invoke("plugin_save_settings", { pluginId, settings: { customEndpointApiKey: apiKey } }),
    [PLUGIN_ID, oldKey] as const,
  );
  const old = { mode: "custom", baseUrl: harness().fakeUrl(), apiType: "images", allowInsecureHttp: false, responsesModel: "gpt-4.1", defaultModel: "gpt-image-1", defaultSize: "1536x1024", timeoutSeconds: 120, maxRetries: 3, concurrency: 1, streamPartials: false, partialImages: 2, prices: "gpt-image-1 4 8 32" };
  await page.evaluate((settings) => localStorage.setItem("hfmig.settings.v1", JSON.stringify(settings)), old);
  await page.reload();
  await page.getByTestId("generate").waitFor();

  await expect.poll(() => page.getByTestId("gateway-label").innerText()).toBe("Custom endpoint");
  type Stored = { gateway: string; maxRetries: number; concurrency: number; profiles: Record<string, unknown>[] };
  const readStored = async () => JSON.parse((await page.evaluate(() => localStorage.getItem("hfmig.settings.v2")))!) as Stored;
  // The key moves once the core has started (after the first paint): its origin is remembered then.
  await expect.poll(async () => (await readStored()).profiles[0]?.keyOrigin).toBe(new URL(old.baseUrl).origin);
  const stored = await readStored();
  expect(stored).toMatchObject({ gateway: "profile:default", maxRetries: 3, concurrency: 1 });
  expect(stored.profiles).toEqual([
    expect.objectContaining({ id: "default", baseUrl: old.baseUrl, dialect: "images", defaultModel: "gpt-image-1", defaultSize: "1536x1024", timeoutSeconds: 120, partialImages: 2, prices: old.prices, keyOrigin: new URL(old.baseUrl).origin }),
  ]);
  await openSettings(page);
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
  await closeSettings(page);

  const before = (await providerCalls()).length;
  await generate(page, "after the upgrade");
  await expect.poll(() => requestCard(page, "after the upgrade").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  const [call] = (await providerCalls()).slice(before).filter((each) => each.method === "POST");
  expect(call).toMatchObject({ authHeaders: ["authorization"], keyPresent: true });
  // A reload upgrades nothing twice and the old settings stay where they were.
  await page.reload();
  await page.getByTestId("generate").waitFor();
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem("hfmig.settings.v1")))!)).toEqual(old);
  expect(await dumpStorage(page)).not.toContain(oldKey);
  await page.close();
}, 120_000);

it("exports profiles without keys and imports them back without overwriting any", async () => {
  const { page } = await openPanel(harness());
  await openSettings(page);
  await addProfile(page, "openai-compatible", "Relay to export");
  await setProfileUrl(page, harness().fakeUrl());
  await saveKey(page, "sk-export-PLANTED-0000");
  const download = page.waitForEvent("download");
  await page.getByTestId("profiles-export").click();
  const file = join(harness().home, "profiles.json");
  await (await download).saveAs(file);
  const text = readFileSync(file, "utf8");
  expect(text).toContain("Relay to export");
  expect(text).not.toContain("PLANTED");
  expect(text).not.toContain("keyOrigin");

  // Importing the same file again: every name is taken, nothing is overwritten, each is named.
  await page.getByTestId("profiles-import").setInputFiles(file);
  await expect.poll(() => page.getByTestId("profiles-transfer-note").innerText()).toContain("Not imported, the name or id is taken here: Custom endpoint, Relay to export.");
  // After deleting one, importing brings it back (its key is not in the file: it asks for one).
  await page.getByTestId("profile-delete").click();
  await page.getByTestId("profile-delete-yes").click();
  await expect.poll(() => page.getByTestId("profile-select").locator("option").allInnerTexts()).toEqual(["Custom endpoint"]);
  await page.getByTestId("profiles-import").setInputFiles(file);
  await expect.poll(() => page.getByTestId("profiles-transfer-note").innerText()).toContain("Imported 1 profiles: enter their keys to use them.");
  await expect.poll(() => page.getByTestId("profile-select").locator("option").allInnerTexts()).toEqual(["Custom endpoint", "Relay to export"]);
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("No key stored.");

  // A file that is not ours, or too large, is refused with its own sentence.
  const notOurs = join(harness().home, "other.json");
  writeFileSync(notOurs, JSON.stringify({ providers: [] }));
  await page.getByTestId("profiles-import").setInputFiles(notOurs);
  await expect.poll(() => page.getByTestId("profiles-transfer-note").innerText()).toBe("Not imported: this JSON is not an endpoint profiles file; choose one exported here.");
  const large = join(harness().home, "large.json");
  writeFileSync(large, " ".repeat(300 * 1024));
  await page.getByTestId("profiles-import").setInputFiles(large);
  await expect.poll(() => page.getByTestId("profiles-transfer-note").innerText()).toBe("Not imported: the file is over 256 KB, too large for a profiles file.");
  await page.close();
}, 120_000);
