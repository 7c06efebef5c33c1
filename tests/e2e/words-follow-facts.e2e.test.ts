// End to end: the panel's words follow the facts, in English and Chinese. A request a retry made
// good says nothing of the failure before it; the custom endpoint's status follows its calls; a
// stream cut after a preview says so, once, and marks the preview incomplete; signed out is said
// once, with "Check again" and the other way in; backend failures are worded from their codes and
// only the provider's own words are quoted. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, queueManagedFault, refocus, requestCard, setBaseUrl, setSession, useHarness, setLocale } from "./support/harness.ts";

const harness = useHarness();
let page: Page;
let messages: string[];

beforeEach(async () => {
  ({ page, messages } = await openPanel(harness()));
  await setSession(page, "HaloForge Cloud");
});

afterEach(async () => {
  expect(messages.filter((message) => /^pageerror: /.test(message))).toEqual([]);
  await page.close();
});

const status = () => page.getByTestId("gateway-status");
const occurrences = (text: string, word: string) => text.split(word).length - 1;

/** The custom endpoint at `baseUrl`, chosen explicitly. */
async function useCustom(baseUrl: string) {
  await setBaseUrl(page, baseUrl);
  await chooseMode(page, "Custom endpoint");
}

/** Runs `prompt` to `phase` and gives its card. */
async function run(prompt: string, phase: string) {
  await generate(page, prompt);
  await expect.poll(() => phaseOf(page, prompt), { timeout: 30_000 }).toBe(phase);
  return requestCard(page, prompt);
}

describe("words that follow the facts, in the dev host", () => {
  it("says nothing of a 429 on a request a retry made good, on both paths, in English and Chinese", async () => {
    /** The card of a request that succeeded on its second attempt, checked in both languages. */
    const saysNothingOfTheRateLimit = async (prompt: string) => {
      const card = requestCard(page, prompt);
      expect(await card.getByTestId("error-summary").count()).toBe(0);
      expect(await card.getByTestId("error-hint").count()).toBe(0);
      const en = await card.innerText();
      for (const word of ["limiting", "Try again in a moment", "429"]) expect(en).not.toContain(word);
      // The failed attempt belongs to the diagnostics (opened once the card has settled).
      const diagnostics = card.getByTestId("diagnostics");
      const openDiagnostics = async () => {
        if (!(await diagnostics.evaluate((element) => (element as HTMLDetailsElement).open))) await diagnostics.locator("summary").click();
        return diagnostics.innerText();
      };
      await expect.poll(openDiagnostics).toContain("Attempt 1 failed: The provider is limiting requests");
      await setLocale(page, "zh");
      const zh = (await card.innerText()).replace(/第 1 次尝试失败：[^\n]*/, "");
      for (const word of ["限制", "请稍后再试"]) expect(zh).not.toContain(word);
      expect(await card.getByTestId("diagnostics").innerText()).toContain("第 1 次尝试失败：服务商正在限制请求频率");
      await setLocale(page, "en");
    };
    await chooseMode(page, "HaloForge Cloud");
    await queueManagedFault(page, "rate-limit:1");
    await run("a managed lighthouse retried once", "succeeded");
    await saysNothingOfTheRateLimit("a managed lighthouse retried once");
    // A custom endpoint that refuses the first call only (Retry-After 1 s).
    await useCustom(harness().fakeUrl("fault=rate-limit:1,fault-times=1,tag=retry-ok"));
    await run("a custom lighthouse retried once", "succeeded");
    await saysNothingOfTheRateLimit("a custom lighthouse retried once");
  }, 90_000);

  it("follows the custom endpoint's last call in the header: key refused, failing with the reason, working", async () => {
    await useCustom(harness().fakeUrl("fault=status:401:bad-key"));
    expect(await status().getAttribute("data-tone")).toBe("neutral");
    await run("a lighthouse with a refused key", "failed");
    await expect.poll(() => status().getAttribute("data-tone")).toBe("bad");
    expect(await page.getByTestId("gateway-proof").innerText()).toBe("The custom endpoint refused the API key.");
    expect(await page.getByTestId("gateway-fix").innerText()).toBe("Open settings");

    // The first call fails with 500, the next works: the header follows them in order.
    await useCustom(harness().fakeUrl("fault=500,fault-times=1,tag=header"));
    await run("a lighthouse the provider fails", "failed");
    await expect.poll(() => status().getAttribute("data-tone")).toBe("warn");
    expect(await page.getByTestId("gateway-proof").innerText()).toBe("The custom endpoint's last call failed: The provider failed (HTTP 500).");
    await setLocale(page, "zh");
    expect(await page.getByTestId("gateway-proof").innerText()).toBe("自定义端点上一次调用失败：服务商出错（HTTP 500）。");
    await setLocale(page, "en");

    await requestCard(page, "a lighthouse the provider fails").getByTestId("retry").click();
    await expect.poll(() => status().getAttribute("data-tone"), { timeout: 20_000 }).toBe("ok");
    expect(await page.getByTestId("gateway-proof").innerText()).toBe("The custom endpoint answered.");
  }, 90_000);

  it("says a stream broke after a preview, warns of billing once and marks the preview incomplete", async () => {
    await page.getByRole("button", { name: "Open settings" }).first().click();
    await page.getByTestId("base-url").fill(harness().fakeUrl("fault=stream-cut,partial-delay=1000"));
    await page.getByTestId("base-url").blur();
    await expect.poll(() => page.getByTestId("normalized-url").innerText()).toContain("stream-cut");
    await page.getByTestId("stream-partials").check();
    // Two previews a second apart, then the connection closes: the first is on screen by then.
    await page.getByTestId("partial-images").selectOption("2");
    await page.getByRole("button", { name: "Close settings" }).click();
    await chooseMode(page, "Custom endpoint");
    await generate(page, "a lighthouse whose stream is cut");
    const card = requestCard(page, "a lighthouse whose stream is cut");
    // The preview is on screen before the stream breaks.
    await card.getByTestId("preview").waitFor();
    await expect.poll(() => phaseOf(page, "a lighthouse whose stream is cut"), { timeout: 30_000 }).toBe("failed");

    expect(await card.getByTestId("error-summary").innerText()).toBe("The stream broke after a preview arrived, before the final image.");
    expect(await card.getByTestId("preview-label").innerText()).toBe("Preview, incomplete");
    expect(await card.getByTestId("error-detail").count()).toBe(0);
    expect(occurrences(await card.innerText(), "billed")).toBe(1);
    expect(await card.innerText()).not.toContain("could not be reached");
    await setLocale(page, "zh");
    expect(await card.getByTestId("error-summary").innerText()).toBe("预览到达之后、最终图片到达之前，数据流中断了。");
    expect(await card.getByTestId("preview-label").innerText()).toBe("预览，不完整");
    expect(occurrences(await card.innerText(), "计费")).toBe(1);
  }, 90_000);

  it("says signed out once, offers Check again and a custom endpoint, and says it when Auto falls back to the mock", async () => {
    await chooseMode(page, "HaloForge Cloud");
    await setSession(page, "Signed out");
    await refocus(page);
    await expect.poll(() => status().getAttribute("data-tone"), { timeout: 10_000 }).toBe("bad");
    const card = await run("a lighthouse with no session", "failed");
    const header = await status().innerText();
    expect(occurrences(header, "signed out")).toBe(1);
    expect(await page.getByTestId("gateway-fix").innerText()).toBe("Check again");
    expect(await page.getByTestId("gateway-alternative").innerText()).toBe("Or set up a custom endpoint");
    expect(occurrences(await card.innerText(), "signed out")).toBe(1);
    expect(await card.getByTestId("error-fix").count()).toBe(0);
    expect(await card.getByTestId("error-detail").count()).toBe(0);
    await setLocale(page, "zh");
    expect(occurrences(await status().innerText(), "退出")).toBe(1);
    expect(await page.getByTestId("gateway-fix").innerText()).toBe("重新检查");
    expect(await page.getByTestId("gateway-alternative").innerText()).toBe("或设置自定义端点");
    expect(occurrences(await card.innerText(), "退出")).toBe(1);
    await setLocale(page, "en");

    // Development build, Auto, signed out, nothing configured: the mock stands in, and it says why.
    await chooseMode(page, "Auto");
    await expect.poll(() => page.getByTestId("gateway-label").innerText()).toBe("Mock gateway");
    expect(await status().innerText()).toContain("you are signed out of HaloForge");
    expect(await status().getAttribute("data-tone")).toBe("neutral");
    expect(await page.getByTestId("gateway-fix").innerText()).toBe("Check again");
    await setLocale(page, "zh");
    expect(await status().innerText()).toContain("你已退出 HaloForge");
  }, 90_000);

  it("says what is wrong with a key with no address, with spaces or empty, in English and Chinese", async () => {
    await page.getByRole("button", { name: "Open settings" }).first().click();
    const said = () => page.getByTestId("key-error").innerText();
    // Nothing is configured here yet: a key is saved for one address, so it has nowhere to go.
    expect(await page.getByTestId("base-url").inputValue()).toBe("");
    await page.getByTestId("api-key").fill("sk-with-no-address-1234");
    await page.getByTestId("save-key").click();
    await expect.poll(said).toBe("Enter the base URL first: a key is saved for one address.");
    await setLocale(page, "zh");
    expect(await said()).toBe("请先输入基础 URL：密钥只为一个地址保存。");
    await setLocale(page, "en");
    await page.getByTestId("base-url").fill(harness().fakeUrl());
    await page.getByTestId("base-url").blur();
    await page.getByTestId("api-key").fill("sk-with some spaces 1234");
    await page.getByTestId("save-key").click();
    await expect.poll(said).toBe("Not saved: a key is 4 to 4096 visible characters, without spaces.");
    await setLocale(page, "zh");
    expect(await said()).toBe("未保存：密钥须为 4 到 4096 个可见字符，且不含空格。");
    await page.getByTestId("save-key").click();
    await expect.poll(said).toBe("请先输入密钥：空密钥不会保存。");
    await setLocale(page, "en");
    expect(await said()).toBe("Enter a key first: an empty key is not saved.");
  }, 60_000);

  it("words a reset connection from its code, never the HTTP client's words, and quotes only the provider", async () => {
    await useCustom(harness().fakeUrl("fault=reset"));
    const card = await run("a lighthouse whose connection resets", "failed");
    expect(await card.getByTestId("error-summary").innerText()).toBe("The connection to the endpoint broke after the request was sent.");
    expect(await card.getByTestId("error-detail").count()).toBe(0);
    expect(await card.innerText()).not.toMatch(/SendRequest|client error/);
    await setLocale(page, "zh");
    expect(await card.getByTestId("error-summary").innerText()).toBe("请求发出后，与端点的连接中断了。");
    expect(await card.locator("q").count()).toBe(0);
    await setLocale(page, "en");

    // A provider's own words are the one thing quoted, as it said them.
    await useCustom(harness().fakeUrl("fault=status:400:the-size-is-not-supported"));
    const refused = await run("a lighthouse the provider refuses", "failed");
    expect(await refused.getByTestId("error-summary").innerText()).toBe("The provider rejected the request.");
    expect(await refused.getByTestId("error-detail").locator("q").innerText()).toBe("the-size-is-not-supported");
  }, 90_000);
});
