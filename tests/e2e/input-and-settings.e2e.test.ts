// End to end: input the panel must refuse stays where the user typed it, marked and named, and
// nothing is sent; settings keep what was typed, save only what is allowed, and say so. English and
// Chinese, through the dev host (managed gateway on its fake upstream, custom endpoint on the fake
// provider). Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseMode, openPanel, phaseOf, requestCard, setSession, upstreamCalls, useHarness } from "./support/harness.ts";

const harness = useHarness();
let page: Page;
let messages: string[];

beforeEach(async () => {
  ({ page, messages } = await openPanel(harness()));
  await setSession(page, "HaloForge Cloud");
  await chooseMode(page, "HaloForge Cloud");
  await expect.poll(() => page.getByTestId("gateway-label").textContent()).toBe("HaloForge Cloud gateway");
}, 60_000);

afterEach(async () => {
  expect(messages.filter((message) => /^(error|pageerror): /.test(message))).toEqual([]);
  await page.close();
});

const WORDS = {
  en: {
    lang: "en",
    locale: "English",
    openSettings: "Open settings",
    closeSettings: "Close settings",
    promptEmpty: "must not be empty",
    countRange: "Images: must be a whole number from 1 to 10",
    retries: (saved: number) => `Automatic retries: enter a whole number from 0 to 5. Not saved; ${saved} stays in effect.`,
    timeout: (saved: number) => `Timeout (seconds): enter a whole number from 10 to 3600. Not saved; ${saved} stays in effect.`,
    sizeFormat: 'Default size: must be "auto", a preset such as 1024x1024, or WIDTHxHEIGHT. Not saved; 1024x1024 stays in effect.',
    sizeEdges: "Default size: both edges must be multiples of 16. Not saved; 1024x1024 stays in effect.",
    notUrl: "This is not a URL.",
    saved: "Saved.",
  },
  zh: {
    lang: "zh-CN",
    locale: "Chinese",
    openSettings: "打开设置",
    closeSettings: "关闭设置",
    promptEmpty: "不能为空",
    countRange: "数量: 必须是 1 到 10 之间的整数",
    retries: (saved: number) => `自动重试次数：请输入 0 到 5 之间的整数。未保存，仍使用 ${saved}。`,
    timeout: (saved: number) => `超时（秒）：请输入 10 到 3600 之间的整数。未保存，仍使用 ${saved}。`,
    sizeFormat: '默认尺寸：必须是 "auto"、预设尺寸（如 1024x1024）或 宽x高。未保存，仍使用 1024x1024。',
    sizeEdges: "默认尺寸：宽和高都必须是 16 的倍数。未保存，仍使用 1024x1024。",
    notUrl: "这不是有效的 URL。",
    saved: "已保存。",
  },
} as const;
type Words = (typeof WORDS)[keyof typeof WORDS];

async function setLocale(words: Words) {
  await page.getByRole("radiogroup", { name: "Locale" }).getByRole("radio", { name: words.locale }).check();
  await expect.poll(() => page.locator(".hfmig-root").getAttribute("lang")).toBe(words.lang);
}
const openSettings = (words: Words) => page.locator(".hfmig-root").getByRole("button", { name: words.openSettings }).first().click();
const cards = () => page.getByTestId("request");
/** The value a number setting has in the page's saved settings (undefined before the first save). */
/** A global setting, or the first profile's (timeout, default size). */
const savedSetting = (field: string) =>
  page.evaluate((name) => {
    const settings = JSON.parse(localStorage.getItem("hfmig.settings.v2") ?? "{}") as Record<string, unknown> & { profiles?: Record<string, unknown>[] };
    return name in settings ? settings[name] : settings.profiles?.[0]?.[name];
  }, field);
/** Types into a settings field and leaves it, which commits it as a user moving on does. */
async function commit(testId: string, text: string) {
  await page.getByTestId(testId).fill(text);
  await page.getByTestId(testId).blur();
}

describe.each(Object.entries(WORDS))("in %s", (_name, words) => {
  it("keeps invalid input in the composer with the field marked, and sends nothing", async () => {
    await setLocale(words);
    const prompt = page.getByTestId("prompt");
    const count = page.getByTestId("count");
    const calls = upstreamCalls(harness());

    // An empty prompt: marked, named and focused.
    await page.getByTestId("generate").click();
    await expect.poll(() => prompt.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("prompt-error").innerText()).toBe(words.promptEmpty);
    expect(await prompt.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await cards().count()).toBe(0);

    // Images = 11, then an emptied count: the count rule, not "Invalid input".
    await prompt.fill(`a valid prompt in ${words.lang}`);
    expect(await prompt.getAttribute("aria-invalid")).toBe("false");
    for (const typed of ["11", ""]) {
      await count.fill(typed);
      await page.getByTestId("generate").click();
      await expect.poll(() => count.getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByTestId("count-error").innerText()).toBe(words.countRange);
      expect(await count.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await cards().count()).toBe(0);
    }

    // Fixed, the same composer sends exactly one request: the refusals above sent none.
    await count.fill("1");
    await page.getByTestId("generate").click();
    await expect.poll(() => phaseOf(page, `a valid prompt in ${words.lang}`), { timeout: 20_000 }).toBe("succeeded");
    expect(await cards().count()).toBe(1);
    expect(upstreamCalls(harness())).toBe(calls + 1);
    expect(await requestCard(page, `a valid prompt in ${words.lang}`).getAttribute("data-phase")).toBe("succeeded");
  }, 90_000);

  it("keeps typed numbers, refuses them with the field's label and range, and reloads honestly", async () => {
    await setLocale(words);
    await openSettings(words);
    const retries = page.getByTestId("setting-maxRetries");
    const timeout = page.getByTestId("setting-timeoutSeconds");

    // A cleared field and letters are refused, never saved as 0; the typed text stays.
    for (const typed of ["", "abc"]) {
      await commit("setting-maxRetries", typed);
      await expect.poll(() => page.getByTestId("setting-maxRetries-error").innerText()).toBe(words.retries(2));
      expect(await retries.inputValue()).toBe(typed);
      expect(await retries.getAttribute("aria-invalid")).toBe("true");
      expect(await savedSetting("maxRetries")).not.toBe(0);
    }
    // Fixing it takes the message away; leaving the field saves it, and the save is confirmed.
    await retries.fill("4");
    await expect.poll(() => page.getByTestId("setting-maxRetries-error").count()).toBe(0);
    await retries.blur();
    await expect.poll(() => page.getByTestId("settings-saved").innerText()).toBe(words.saved);
    expect(await savedSetting("maxRetries")).toBe(4);

    // A fraction and an out-of-range timeout: named by its label with its range, never "timeoutSeconds".
    for (const typed of ["1.5", "99999"]) {
      await commit("setting-timeoutSeconds", typed);
      await expect.poll(() => page.getByTestId("setting-timeoutSeconds-error").innerText()).toBe(words.timeout(300));
      expect(await timeout.inputValue()).toBe(typed);
    }
    expect(await page.getByTestId("settings").innerText()).not.toContain("timeoutSeconds");
    expect(await savedSetting("timeoutSeconds")).not.toBe(1.5);

    // After a reload the fields show what is saved: retries 4, the timeout still 300.
    await page.reload();
    await page.getByTestId("generate").waitFor();
    await expect.poll(() => page.locator(".hfmig-root").getAttribute("lang")).toBe(words.lang);
    await openSettings(words);
    expect(await page.getByTestId("setting-maxRetries").inputValue()).toBe("4");
    expect(await page.getByTestId("setting-timeoutSeconds").inputValue()).toBe("300");
    expect(await page.getByTestId("setting-timeoutSeconds-error").count()).toBe(0);
  }, 90_000);

  it("refuses a default size and a base URL that break their rules, and drops a connection result when the URL changes", async () => {
    await setLocale(words);
    await openSettings(words);
    const size = page.getByTestId("default-size");
    for (const [typed, message] of [["huge", words.sizeFormat], ["99999x1", words.sizeEdges]] as const) {
      await commit("default-size", typed);
      await expect.poll(() => page.getByTestId("default-size-error").innerText()).toBe(message);
      expect(await size.inputValue()).toBe(typed);
      expect(await size.getAttribute("aria-invalid")).toBe("true");
    }
    expect([undefined, "1024x1024"]).toContain(await savedSetting("defaultSize"));

    await commit("base-url", "not a url");
    await expect.poll(() => page.getByTestId("settings").innerText()).toContain(words.notUrl);
    expect(await page.getByTestId("normalized-url").count()).toBe(0);
    expect(await page.getByTestId("settings").innerText()).not.toContain("not%20a%20url");

    await commit("base-url", harness().fakeUrl());
    await page.getByTestId("test-connection").click();
    await expect.poll(() => page.getByTestId("connection-result").count(), { timeout: 20_000 }).toBe(1);
    // Another URL: the result spoke of the old one, so it goes.
    await commit("base-url", harness().fakeUrl("latency=1"));
    await expect.poll(() => page.getByTestId("normalized-url").innerText()).toContain("latency=1");
    expect(await page.getByTestId("connection-result").count()).toBe(0);
  }, 90_000);

  it("closes settings on Esc, back to the button that opened them, and confirms a save", async () => {
    await setLocale(words);
    await openSettings(words);
    await commit("setting-concurrency", "3");
    await expect.poll(() => page.getByTestId("settings-saved").innerText()).toBe(words.saved);
    expect(await savedSetting("concurrency")).toBe(3);
    // Esc from a field still being typed in commits it, as leaving the field does.
    await page.getByTestId("setting-concurrency").fill("4");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("settings").count()).toBe(0);
    expect(await savedSetting("concurrency")).toBe(4);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(words.openSettings);
    // Right after opening, too: focus is in the settings, so Esc reaches them.
    await openSettings(words);
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("settings").count()).toBe(0);
  }, 60_000);
});

it("lets the composer's size be a custom WxH", async () => {
  const select = page.getByTestId("size");
  await select.selectOption("custom");
  await expect.poll(() => page.getByTestId("custom-size").count()).toBe(1);
  expect(await select.inputValue()).toBe("custom");
  await page.getByTestId("custom-size").fill("1536x864");
  expect(await select.inputValue()).toBe("custom");
  expect(await page.getByTestId("size-error").count()).toBe(0);
  const draft = await page.evaluate(() => JSON.parse(localStorage.getItem("hfmig.draft.v1") ?? "{}") as { size?: string });
  expect(draft.size).toBe("1536x864");
  // A ratio again closes the custom field.
  await select.selectOption("2:3");
  await expect.poll(() => page.getByTestId("custom-size").count()).toBe(0);
  await expect.poll(() => page.evaluate(() => (JSON.parse(localStorage.getItem("hfmig.draft.v1") ?? "{}") as { size?: string }).size)).toBe("1024x1536");
}, 60_000);
