// A compare across two endpoint profiles through the dev host: two profiles set up in the
// settings, each on its own fake provider origin with its own key (and one with its own price
// line), compared side by side with one prompt; each column names its profile, with time, usage
// and that profile's estimated cost; each origin received exactly one request, with a key; one
// result is kept and history names both profiles. A third profile without a key is refused
// before sending, by its column, in English and Chinese, and nothing is lost. Screenshots of the
// targets and the columns at 1280 and 480 px, English and Chinese. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { openPanel, useHarness, setLocale, shootViews } from "./support/harness.ts";

const harness = useHarness();

interface Call {
  method: string;
  path: string;
  authHeaders: string[];
  keyPresent: boolean;
}
/** The image calls a fake provider origin received (its read-only `GET /calls`). */
const imageCalls = async (baseUrl: string): Promise<Call[]> =>
  ((await (await fetch(`${new URL(baseUrl).origin}/calls`)).json()) as { calls: Call[] }).calls.filter((call) => call.path.includes("/images/"));

const openSettings = (page: Page) => page.getByRole("button", { name: "Open settings" }).first().click();
const closeSettings = (page: Page) => page.getByRole("button", { name: "Close settings" }).click();
const chooseGateway = (page: Page, name: string) => page.getByRole("radiogroup", { name: "Gateway" }).getByRole("radio", { name, exact: true }).click();

/** Adds a profile from the OpenAI-compatible preset in the open settings: its name, base URL and key (if given). */
async function addProfile(page: Page, name: string, baseUrl: string, key?: string) {
  await page.getByTestId("profile-preset").selectOption("openai-compatible");
  await page.getByTestId("profile-add").click();
  await page.getByTestId("profile-name").fill(name);
  await page.getByTestId("profile-name").blur();
  await expect.poll(() => page.getByTestId("profile-select").locator("option:checked").innerText()).toBe(name);
  await page.getByTestId("base-url").fill(baseUrl);
  await page.getByTestId("base-url").blur();
  if (!key) return;
  await page.getByTestId("api-key").fill(key);
  await page.getByTestId("save-key").click();
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
}

it("compares one prompt across two profiles on two origins, each with its own key and prices, keeps one, and refuses a profile without a key", async () => {
  const { page, messages } = await openPanel(harness());
  const studio = harness().fakeUrl("latency=300");
  const backup = harness().devhost.otherFakeBaseUrl.replace(/\/v1$/, "/fake/latency=200/v1");
  await openSettings(page);
  await addProfile(page, "Studio relay", studio, "sk-studio-relay-PLANTED-0c41");
  await addProfile(page, "Backup relay", backup, "sk-backup-relay-PLANTED-93ad");
  // Backup relay charges its own price: 50 cents an image.
  await page.getByTestId("prices").fill("gpt-image-1 0.5");
  await page.getByTestId("prices").blur();
  await addProfile(page, "Keyless relay", harness().fakeUrl("latency=10"));
  await closeSettings(page);
  await chooseGateway(page, "Studio relay");

  await page.getByTestId("run-compare").click();
  const prompt = "compare-profiles: a glass teapot at dawn";
  await page.getByTestId("prompt").fill(prompt);
  const gateways = page.getByTestId("compare-gateway");
  const models = page.getByTestId("compare-model");
  // The first target is the profile in use; the second moves to Backup relay, with its default model.
  expect(await gateways.nth(0).locator("option:checked").innerText()).toBe("Studio relay");
  expect(await gateways.nth(0).locator("option").allInnerTexts()).toEqual(["Auto", "HaloForge Cloud", "Custom endpoint", "Studio relay", "Backup relay", "Keyless relay", "Mock"]);
  await gateways.nth(1).selectOption({ label: "Backup relay" });
  await expect.poll(() => models.nth(1).inputValue()).toBe("gpt-image-2");
  // The same model on two profiles is two columns.
  await models.nth(0).fill("gpt-image-1");
  await models.nth(1).fill("gpt-image-1");
  await expect.poll(() => page.getByTestId("batch-preview").innerText()).toMatch(/^2 requests · 2 images · ≈ \$[\d.]+ estimate$/);

  // A third column on a profile without a key: refused by its number before anything is sent.
  await page.getByTestId("compare-add").click();
  await gateways.nth(2).selectOption({ label: "Keyless relay" });
  await models.nth(2).fill("gpt-image-1");
  await expect.poll(() => page.getByTestId("batch-problem").innerText()).toBe("Target 3, Keyless relay, has no API key saved: save one in that profile's settings.");
  await shootViews(page, "compare-profiles-targets", page.getByTestId("run-mode"), { suffix: "-dark" });
  await setLocale(page, "zh");
  await expect.poll(() => page.getByTestId("batch-problem").innerText()).toBe("目标 3（Keyless relay）尚未保存 API 密钥：请在该配置的设置中保存一个。");
  await setLocale(page, "en");
  const before = { studio: (await imageCalls(studio)).length, backup: (await imageCalls(backup)).length };
  await page.getByTestId("generate").click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("prompt");
  expect(await page.getByTestId("compare").count()).toBe(0);
  expect(await page.getByTestId("prompt").inputValue()).toBe(prompt);
  await page.getByRole("button", { name: "Remove target 3" }).click();
  await expect.poll(() => page.getByTestId("batch-preview").count()).toBe(1);

  await page.getByTestId("generate").click();
  const compare = page.getByTestId("compare");
  await expect.poll(() => compare.getByTestId("compare-progress").innerText(), { timeout: 30_000 }).toBe("Compare · 2 of 2 done");
  const columns = compare.getByTestId("compare-column");
  expect(await columns.getByTestId("compare-gateway-name").allInnerTexts()).toEqual(["Studio relay", "Backup relay"]);
  for (const index of [0, 1]) {
    const column = columns.nth(index);
    expect(await column.getAttribute("data-phase")).toBe("succeeded");
    expect(await column.getByTestId("compare-time").innerText()).toMatch(/^\d+(\.\d)? s$/);
    expect(await column.getByTestId("usage").innerText()).toContain("100 in · 50 out");
  }
  // Each column costs what its profile says: the list price on Studio relay, Backup relay's own line.
  expect(await columns.nth(0).getByTestId("usage").innerText()).toMatch(/≈ \$0\.0\d+ estimate/);
  expect(await columns.nth(1).getByTestId("usage").innerText()).toContain("≈ $0.5 estimate");
  // Each origin received exactly its own request, with a key.
  expect((await imageCalls(studio)).slice(before.studio)).toEqual([expect.objectContaining({ method: "POST", authHeaders: ["authorization"], keyPresent: true })]);
  expect((await imageCalls(backup)).slice(before.backup)).toEqual([expect.objectContaining({ method: "POST", authHeaders: ["authorization"], keyPresent: true })]);

  await columns.nth(1).getByTestId("keep").click();
  await expect.poll(() => columns.nth(1).getByTestId("kept").innerText()).toBe("✓ Kept");
  const rows = page.getByTestId("history-item").filter({ hasText: prompt });
  await expect.poll(() => rows.count()).toBe(2);
  await expect.poll(() => rows.getByTestId("history-kept").count()).toBe(1);
  await expect.poll(() => rows.getByTestId("history-gateway").allInnerTexts()).toEqual(expect.arrayContaining(["Studio relay", "Backup relay"]));
  await shootViews(page, "compare-profiles", compare, { suffix: "-dark" });
  // No key reached the page's storage or the log.
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  for (const key of ["sk-studio-relay-PLANTED-0c41", "sk-backup-relay-PLANTED-93ad"]) {
    expect(stored).not.toContain(key);
    expect(harness().logText()).not.toContain(key);
  }
  expect(messages.filter((message) => message.startsWith("pageerror"))).toEqual([]);
  await page.close();
}, 240_000);
