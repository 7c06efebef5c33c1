// End to end: images the user paid for stay in their hands. A request whose images storage cannot
// hold keeps its record (status, usage) and offers the images for download; after a reload, a
// restored image is used as a reference, copied and downloaded exactly like a fresh one. Through
// the dev host and its fake provider; needs `npm run build:e2e`.
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { chooseMode, dumpStorage, generate, phaseOf, setBaseUrl, useHarness, type Harness } from "./support/harness.ts";

const harness = useHarness();
let context: BrowserContext;
let page: Page;
let messages: string[];

afterEach(async () => {
  expect(messages.filter((message) => /^(error|pageerror): /.test(message))).toEqual([]);
  // Closing the context closes its page; awaited here, so nothing closes after the browser did.
  await context.close();
});

/** A fresh page on the dev host; `quota` (bytes) caps the origin's storage before anything loads. */
async function open(h: Harness, quota?: number) {
  context = await h.browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.devhost.origin });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  messages = [];
  page.on("console", (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => messages.push(`pageerror: ${String(error)}`));
  if (quota !== undefined) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: h.devhost.origin, quotaSize: quota });
  }
  await page.goto(`${h.devhost.origin}/`);
  await page.getByTestId("generate").waitFor();
}

async function setLocale(locale: "English" | "Chinese") {
  await page.getByRole("radiogroup", { name: "Locale" }).getByRole("radio", { name: locale }).check();
  await expect.poll(() => page.locator(".hfmig-root").getAttribute("lang")).toBe(locale === "English" ? "en" : "zh-CN");
}

/** How many images the plugin's native save_image wrote (its log line names type and size only). */
const savedCount = () => (harness().logText().match(/image saved type=png bytes=\d+/g) ?? []).length;
const totals = () => page.getByTestId("usage-totals").innerText();

const WORDS = {
  English: {
    notice: "Storage is full: the images of “four large lighthouses” (4) were not saved to history; its status and token usage were.",
    claim: /nothing else was lost/i,
    download: "Download 4 images",
    saved: "Image saved",
    totals: /^Today 300 tokens/,
    status: "Succeeded",
    notSaved: "Images not saved (storage full): 4",
    noImage: "Images not saved",
    usage: /^Tokens: 100 in · 200 out/,
  },
  Chinese: {
    notice: "存储空间已满：“four large lighthouses”的图片（4 张）未保存到历史记录，其状态和令牌用量已保存。",
    claim: /其他内容未丢失/,
    download: "下载 4 张图片",
    saved: "图片已保存",
    totals: /^今日 300 令牌/,
    status: "成功",
    notSaved: "图片未保存（存储空间已满）：4 张",
    noImage: "图片未保存",
    usage: /^令牌：输入 100 · 输出 200/,
  },
} as const;

describe("a request whose images storage cannot hold", () => {
  it.each(["English", "Chinese"] as const)("keeps its record with status and usage, counts the images and offers them for download, also after a reload (%s)", async (locale) => {
    const words = WORDS[locale];
    await open(harness(), 2 * 1024 * 1024);
    await setBaseUrl(page, harness().fakeUrl("image-bytes=700000"));
    await chooseMode(page, "Custom endpoint");
    await setLocale(locale);
    await page.getByTestId("count").fill("4");
    await generate(page, "four large lighthouses");
    await expect.poll(() => phaseOf(page, "four large lighthouses"), { timeout: 30_000 }).toBe("succeeded");

    const notice = page.getByTestId("history-unsaved");
    await expect.poll(() => notice.innerText(), { timeout: 20_000 }).toContain(words.notice);
    expect(await notice.innerText()).not.toMatch(words.claim);
    expect(await page.getByTestId("download-unsaved").innerText()).toBe(words.download);
    const before = await totals();
    expect(before).toMatch(words.totals);

    // The record that landed is the small one: no image bytes, the status, the usage, and that
    // the images are missing; why goes in on the next load (a full IndexedDB refuses every write until then).
    const stored = async () => {
      const dump = JSON.parse(await dumpStorage(page)) as { indexedDB: Record<string, Record<string, Record<string, unknown>[]>> };
      return dump.indexedDB["hfmig-history"]!.requests!.find((item) => item.prompt === "four large lighthouses");
    };
    expect(await stored()).toMatchObject({ status: "succeeded", images: [], imagesNotSaved: { count: 4, reason: "unconfirmed" }, usage: { total_tokens: 300 } });

    // Downloading goes through the host's save dialog, one image at a time, and ends the offer.
    const saved = savedCount();
    await page.getByTestId("download-unsaved").click();
    await expect.poll(savedCount, { timeout: 20_000 }).toBe(saved + 4);
    await expect.poll(() => notice.count()).toBe(0);
    expect(await page.getByTestId("download-unsaved-status").innerText()).toBe(words.saved);

    await page.reload();
    const row = page.getByTestId("history-item").filter({ hasText: "four large lighthouses" });
    await expect.poll(() => row.getByTestId("history-status").innerText(), { timeout: 20_000 }).toBe(words.status);
    expect(await row.getByTestId("history-not-saved").innerText()).toContain(words.notSaved);
    expect(await row.getByTestId("history-no-image").innerText()).toBe(words.noImage);
    expect(await row.getByTestId("usage").innerText()).toMatch(words.usage);
    // Today's total still counts the request (the session's starts again with the reload).
    await expect.poll(async () => (await totals()).split(" · ")[0]).toBe(before.split(" · ")[0]);
  }, 120_000);
});

describe("image actions after a reload", () => {
  const clipboardTypes = () => page.evaluate(async () => (await navigator.clipboard.read()).flatMap((item) => [...item.types]));
  const clearClipboard = () => page.evaluate(() => navigator.clipboard.writeText("nothing yet"));
  const notice = () => page.getByTestId("viewer").getByTestId("image-notice").innerText();

  /** Copy, Download and Use as reference from the open viewer, each checked by what it did. */
  async function actInViewer(copied: string, saved: string) {
    const viewer = page.getByTestId("viewer");
    await clearClipboard();
    await viewer.getByRole("button", { name: /^(Copy image|复制图片)$/ }).click();
    await expect.poll(notice).toBe(copied);
    expect(await clipboardTypes()).toEqual(["image/png"]);

    const before = savedCount();
    await viewer.getByRole("button", { name: /^(Download image|下载图片)$/ }).click();
    await expect.poll(notice).toBe(saved);
    await expect.poll(savedCount).toBe(before + 1);

    await viewer.getByRole("button", { name: /^(Use as reference|用作参考图片)$/ }).click();
    await expect.poll(() => page.getByTestId("reference").count()).toBe(1);
    expect(await page.getByTestId("references").getByRole("alert").count()).toBe(0);
    await viewer.getByRole("button", { name: /^(Close viewer|关闭查看器)$/ }).click();
    await page.getByTestId("reference").getByRole("button", { name: /^(Remove|移除)/ }).click();
    await expect.poll(() => page.getByTestId("reference").count()).toBe(0);
  }

  it("uses as reference, copies the image itself and saves through the host, the same for a fresh image and a restored one", async () => {
    await open(harness());
    await setBaseUrl(page, harness().fakeUrl());
    await chooseMode(page, "Custom endpoint");
    await generate(page, "a lighthouse to reuse");
    await expect.poll(() => phaseOf(page, "a lighthouse to reuse"), { timeout: 30_000 }).toBe("succeeded");
    const thumb = page.getByTestId("result-group").filter({ hasText: "a lighthouse to reuse" }).getByTestId("gallery-image").first();

    await thumb.getByRole("button", { name: /^Open image/ }).click();
    await actInViewer("Image copied (PNG)", "Image saved");

    await page.reload();
    await thumb.waitFor({ timeout: 20_000 });
    expect(await thumb.locator("img").getAttribute("src")).toMatch(/^blob:/);
    await thumb.getByRole("button", { name: /^Open image/ }).click();
    await actInViewer("Image copied (PNG)", "Image saved");

    // From history's own viewer, in Chinese.
    await setLocale("Chinese");
    await page.getByTestId("history-item").filter({ hasText: "a lighthouse to reuse" }).getByRole("button", { name: /^查看此请求的图片/ }).click();
    await actInViewer("图片已复制（PNG）", "图片已保存");
  }, 120_000);
});
