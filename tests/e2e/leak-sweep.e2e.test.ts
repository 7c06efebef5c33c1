// Leak sweep: plant secrets everywhere a user or a provider could put one, run every gateway and
// every flow (generate, edit with a reference and a mask, a failing request and its retry, Test
// connection that succeeds and that fails), then search everything the run left behind. Needs
// `npm run build:e2e`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import type { Page } from "playwright-core";
import { chooseMode, dumpStorage, generate, openPanel, prepareEdit, setBaseUrl, useHarness } from "./support/harness.ts";

const API_KEY = "sk-leak-PLANTED-APIKEY-5f2c9a7e1b3d";
const UPSTREAM_TOKEN = "hf-leak-PLANTED-UPSTREAM-TOKEN-88d1";
const USERINFO_SECRET = "PLANTEDuserinfoPW4471";
const PROVIDER_SECRET = "sk-leak-PLANTED-FROM-PROVIDER-0c3e";
const QUERY_SECRET = "PLANTEDquerySecret9d3e";
const PROMPT = "planted prompt for the leak sweep: a heron over a salt marsh, 91ab";
const SECRETS = [API_KEY, UPSTREAM_TOKEN, USERINFO_SECRET, PROVIDER_SECRET];

const harness = useHarness(["--upstream-token", UPSTREAM_TOKEN]);

/**
 * Runs Test connection against `baseUrl`, waits for the result it should show and returns the
 * result's HTML (it goes when the settings close, before the final sweep of the page).
 */
async function testConnection(page: Page, baseUrl: string, expected: RegExp) {
  await setBaseUrl(page, baseUrl);
  await page.getByRole("button", { name: "Open settings" }).first().click();
  await page.getByTestId("test-connection").click();
  await expect.poll(() => page.getByTestId("connection-result").innerText()).toMatch(expected);
  const result = await page.getByTestId("connection-result").evaluate((element) => element.outerHTML);
  await page.getByRole("button", { name: "Close settings" }).click();
  return result;
}

it("keeps planted keys, tokens and URL credentials out of logs, storage, console and the page, and the prompt out of logs", async () => {
  const { page, messages } = await openPanel(harness());
  const phase = (index = 0) => page.getByTestId("request").nth(index).getAttribute("data-phase");

  // A key in the base URL's user info is refused with a pointer to the key field.
  await page.getByRole("button", { name: "Open settings" }).first().click();
  const withUserinfo = harness().fakeUrl().replace("http://", `http://planted:${USERINFO_SECRET}@`);
  await page.getByTestId("base-url").fill(withUserinfo);
  await page.getByTestId("base-url").blur();
  await expect.poll(() => page.getByTestId("settings").innerText()).toContain("Put the key in the API key field, not in the URL.");
  // The key goes through the write-only key field.
  await page.getByTestId("base-url").fill(harness().fakeUrl());
  await page.getByTestId("api-key").fill(API_KEY);
  await page.getByTestId("save-key").click();
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
  await expect.poll(() => page.getByTestId("key-place").innerText()).toBe("Kept in the plugin data file (owner-only).");
  await page.getByRole("button", { name: "Close settings" }).click();

  // Mock, managed (the devhost adds the planted upstream token) and custom.
  await chooseMode(page, "Mock");
  await generate(page, PROMPT);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("succeeded");
  await chooseMode(page, "HaloForge Cloud");
  await generate(page, PROMPT);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("succeeded");
  await chooseMode(page, "Custom endpoint");
  await generate(page, PROMPT);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("succeeded");
  // Edits carry the prompt, a reference and a mask, on the custom and on the managed path.
  await prepareEdit(page, harness(), 1);
  await generate(page, PROMPT);
  await expect.poll(() => page.getByTestId("request").count()).toBe(4);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("succeeded");
  await chooseMode(page, "HaloForge Cloud");
  await generate(page, PROMPT);
  await expect.poll(() => page.getByTestId("request").count()).toBe(5);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("succeeded");
  await expect.poll(() => harness().logText()).toMatch(/image request succeeded .*operation=edit/);
  await expect.poll(() => harness().logText()).toMatch(/managed gateway request succeeded operation=edit/);
  await page.getByTestId("mode-generate").click();
  await chooseMode(page, "Custom endpoint");
  // A base URL whose query carries a secret (kept by design: Azure-style ?api-version=) is used,
  // but its value must not reach logs, console, history or the page text.
  await setBaseUrl(page, `${harness().fakeUrl()}?api-key=${QUERY_SECRET}`);
  await generate(page, PROMPT);
  await expect.poll(() => page.getByTestId("request").count()).toBe(6);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("succeeded");
  await expect.poll(() => harness().logText()).toMatch(/(image request succeeded .*gateway=custom[^\n]*\n[^]*){3}/);

  // A provider that echoes a secret in its error body, on the custom and on the managed path.
  await setBaseUrl(page, harness().fakeUrl(`fault=status:401:${PROVIDER_SECRET}`));
  await generate(page, PROMPT);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("failed");
  // Its retry is a new request with the same prompt, refused the same way.
  await page.getByTestId("request").first().getByTestId("retry").click();
  await expect.poll(() => page.getByTestId("request").count()).toBe(8);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("failed");
  await expect.poll(() => harness().logText()).toMatch(/(image request failed .*gateway=custom[^\n]*\n[^]*){2}/);
  const queued = await page.evaluate(
    (fault) => fetch("/host/gateway/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ faults: [fault] }) }).then((answer) => answer.status),
    `status:500:${PROVIDER_SECRET}`,
  );
  expect(queued).toBe(200);
  await chooseMode(page, "HaloForge Cloud");
  await generate(page, PROMPT);
  await expect.poll(() => phase(), { timeout: 20_000 }).toBe("failed");
  await expect.poll(() => harness().logText()).toMatch(/managed gateway request failed/);

  // Test connection with the stored key, then against endpoints that put the secret in their answer.
  const connectionResults = [
    await testConnection(page, harness().fakeUrl(), /^Connected: \d+ models listed\.$/),
    await testConnection(page, harness().fakeUrl(`fault=status:401:${PROVIDER_SECRET}`), /key was refused \(HTTP 401\)/),
    await testConnection(page, harness().fakeUrl(`fault=status:500:${PROVIDER_SECRET}`), /Reachable \(HTTP 500\)/),
  ];
  await expect.poll(() => harness().logText()).toMatch(/connection test succeeded[^]*connection test (succeeded|failed)[^]*connection test (succeeded|failed)/);

  // The failing base URLs above carry the provider secret in their fault path: put the clean one back.
  await setBaseUrl(page, harness().fakeUrl());
  const log = harness().logText();
  const storage = await dumpStorage(page);
  const dom = await page.locator("body").innerText();
  const html = await page.content();
  const consoleText = messages.join("\n");
  // The host settings (any frontend can read them) never hold the key: the dev host keeps it in the
  // plugin's owner-only key file (native/README.md), and only there.
  const settingsDir = join(harness().home, ".haloforge", "devhost", "settings");
  const settingsFiles = existsSync(settingsDir) ? readdirSync(settingsDir).map((file) => JSON.parse(readFileSync(join(settingsDir, file), "utf8")) as Record<string, unknown>) : [];
  expect(settingsFiles.some((settings) => "customEndpointApiKey" in settings), "a key in the host settings").toBe(false);
  const nativeSettings = JSON.stringify(settingsFiles);
  const keyFile = join(harness().home, ".haloforge", "plugins", "dev.haloforge.managed-image-gateway", "data", "custom-endpoint-api-key.default.json");
  expect(readFileSync(keyFile, "utf8"), "the key file").toContain(API_KEY);
  if (process.platform !== "win32") expect(statSync(keyFile).mode & 0o777, "key file permissions").toBe(0o600);
  for (const secret of SECRETS) {
    expect(log, "host log").not.toContain(secret);
    expect(storage, "localStorage / IndexedDB").not.toContain(secret);
    expect(consoleText, "console").not.toContain(secret);
    expect(dom, "DOM text").not.toContain(secret);
    expect(html, "page HTML").not.toContain(secret);
    for (const result of connectionResults) expect(result, "Test connection result").not.toContain(secret);
    expect(nativeSettings, "host settings file").not.toContain(secret);
  }
  expect(log).toMatch(/image request failed .*gateway=custom/);
  const { indexedDB } = JSON.parse(storage) as { indexedDB: unknown };
  for (const [where, text] of [["host log", log], ["IndexedDB", JSON.stringify(indexedDB)], ["console", consoleText], ["DOM text", dom]]) {
    expect(text, where).not.toContain(QUERY_SECRET);
  }
  expect(log, "the prompt in a log line").not.toContain(PROMPT);
  expect(consoleText, "the prompt in console output").not.toContain(PROMPT);
  // The user's own history keeps the prompt; that is not a leak.
  expect(storage).toContain(PROMPT);
}, 120_000);
