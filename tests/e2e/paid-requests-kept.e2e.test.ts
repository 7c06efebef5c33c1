// Paid requests are kept and never sent behind the user's back: a reload with a full queue sends
// nothing more (the fake provider's call record proves it) and history tells what was sent from
// what was only queued; history's re-run and "Put back in composer" fill the composer and send
// nothing; a burst of Generate clicks asks once; "Cancel all queued"; managed images recovered
// after a reload are labelled and shown in Results. English and Chinese. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, queueManagedFault, refocus, requestCard, screenshot, setBaseUrl, setSession, upstreamCalls, useHarness } from "./support/harness.ts";

const harness = useHarness();

interface ProviderCall {
  method: string;
  path: string;
  receivedAtMs: number;
}

/** Every image call the embedded fake provider received (its read-only `GET /calls`). */
async function imageCalls(): Promise<ProviderCall[]> {
  const origin = harness().devhost.fakeBaseUrl.replace(/\/v1$/, "");
  const answer = (await (await fetch(`${origin}/calls`)).json()) as { calls: ProviderCall[] };
  return answer.calls.filter((call) => call.path.includes("/images/"));
}

/** The plugin's native log: how many custom-endpoint image requests ended (any outcome). */
const nativeEnded = () => (harness().logText().match(/: image request (?:succeeded|failed|cancelled) request_id=/g) ?? []).length;
const managedEnded = () => (harness().logText().match(/managed gateway request (?:succeeded|failed)/g) ?? []).length;

const historyItem = (page: Page, prompt: string) => page.getByTestId("history-item").filter({ hasText: prompt });
const setLocale = (page: Page, name: "English" | "Chinese") => page.getByRole("radiogroup", { name: "Locale" }).getByRole("radio", { name }).check();

it("a reload with a full queue sends nothing more; history says what was sent and offers the queued one again", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=8000"));
  await chooseMode(page, "Custom endpoint");
  const prompts = ["kept queue: a red kite", "kept queue: a blue kite", "kept queue: a green kite"];
  const callsBefore = (await imageCalls()).length;
  const endedBefore = nativeEnded();
  for (const prompt of prompts) await generate(page, prompt);
  await expect.poll(() => Promise.all(prompts.map((prompt) => phaseOf(page, prompt)))).toEqual(["requesting", "requesting", "queued"]);
  await expect.poll(async () => (await imageCalls()).length, { timeout: 10_000 }).toBe(callsBefore + 2);

  const reloadedAt = Date.now();
  await page.reload();
  await page.getByTestId("generate").waitFor();
  // The two calls in flight run to their end natively (8 s after they went out); by then a call
  // started during the reload would long have reached the provider.
  await expect.poll(nativeEnded, { timeout: 20_000 }).toBe(endedBefore + 2);
  const calls = await imageCalls();
  expect(calls.filter((call) => call.receivedAtMs >= reloadedAt)).toEqual([]);
  expect(calls).toHaveLength(callsBefore + 2);

  // Sent before the reload: interrupted, and it may have been billed. Queued: not sent, offered again.
  for (const prompt of prompts.slice(0, 2)) {
    const item = historyItem(page, prompt);
    await expect.poll(() => item.getByTestId("history-status").innerText(), { timeout: 10_000 }).toBe("Interrupted");
    expect(await item.getByTestId("history-no-image").innerText()).toBe("No image: cut off by a reload");
    expect(await item.getByTestId("history-billing").innerText()).toContain("may have been billed");
  }
  const queued = historyItem(page, prompts[2]!);
  expect(await queued.getByTestId("history-status").innerText()).toBe("Not sent");
  expect(await queued.getByTestId("history-no-image").innerText()).toBe("No image: never sent");
  expect(await queued.getByTestId("history-not-sent").innerText()).toContain("nothing was sent");
  expect(await queued.getByTestId("history-put-back").innerText()).toBe("Put back");
  expect(await queued.getByTestId("history-put-back").getAttribute("aria-label")).toBe(`Put back in composer: ${prompts[2]}`);
  await screenshot(page, "history-reload-queue-1280-en-dark");
  await page.setViewportSize({ width: 480, height: 860 });
  await queued.scrollIntoViewIfNeeded();
  // Two frames: the narrow layout is painted before the picture is taken.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await screenshot(page, "history-reload-queue-480-en-dark");
  await page.setViewportSize({ width: 1280, height: 860 });

  // "Put back in composer" and ↻ (even on a row that may have been billed) fill the composer; nothing is sent.
  await queued.getByTestId("history-put-back").click();
  await expect.poll(() => page.getByTestId("prompt").inputValue()).toBe(prompts[2]);
  expect(await page.getByTestId("request").count()).toBe(0);
  await historyItem(page, prompts[0]!).getByTestId("history-rerun").click();
  await expect.poll(() => page.getByTestId("prompt").inputValue()).toBe(prompts[0]);
  expect(await page.getByTestId("request").count()).toBe(0);
  expect(await historyItem(page, prompts[0]!).getByTestId("history-rerun").getAttribute("aria-label")).toBe(`Reuse settings: ${prompts[0]}`);

  await setLocale(page, "Chinese");
  await expect.poll(() => queued.getByTestId("history-status").innerText()).toBe("未发送");
  expect(await queued.getByTestId("history-no-image").innerText()).toBe("无图片：从未发送");
  expect(await queued.getByTestId("history-put-back").innerText()).toBe("放回");
  expect(await queued.getByTestId("history-put-back").getAttribute("aria-label")).toBe(`放回编辑区: ${prompts[2]}`);
  expect(await historyItem(page, prompts[1]!).getByTestId("history-status").innerText()).toBe("已中断");
  expect(await historyItem(page, prompts[1]!).getByTestId("history-billing").innerText()).toContain("可能已计费");
  await screenshot(page, "history-reload-queue-1280-zh-dark");
  await queued.getByTestId("history-put-back").click();
  await expect.poll(() => page.getByTestId("prompt").inputValue()).toBe(prompts[2]);
  expect(await page.getByTestId("request").count()).toBe(0);
  await setLocale(page, "English");
  // Nothing went out for any of it.
  expect(await imageCalls()).toHaveLength(callsBefore + 2);
  await page.close();
}, 90_000);

it("thirty quick Generate clicks ask once", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=500"));
  await chooseMode(page, "Custom endpoint");
  const callsBefore = (await imageCalls()).length;
  await page.getByTestId("prompt").fill("kept queue: one lighthouse, clicked thirty times");
  // Thirty clicks inside the page, well within a second.
  await page.getByTestId("generate").evaluate((button: HTMLElement) => {
    for (let click = 0; click < 30; click += 1) button.click();
  });
  await expect.poll(() => phaseOf(page, "one lighthouse, clicked thirty times"), { timeout: 20_000 }).toBe("succeeded");
  expect(await page.getByTestId("request").count()).toBe(1);
  expect(await imageCalls()).toHaveLength(callsBefore + 1);
  await page.close();
}, 60_000);

it("cancels every queued request at once, in English and Chinese, and leaves the running ones", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=4000"));
  await chooseMode(page, "Custom endpoint");
  const callsBefore = (await imageCalls()).length;
  const phases = (prompts: string[]) => Promise.all(prompts.map((prompt) => phaseOf(page, prompt)));
  const english = ["kept queue: cancel 1", "kept queue: cancel 2", "kept queue: cancel 3", "kept queue: cancel 4", "kept queue: cancel 5"];
  for (const prompt of english) await generate(page, prompt);
  await expect.poll(() => phases(english)).toEqual(["requesting", "requesting", "queued", "queued", "queued"]);
  expect(await page.getByTestId("cancel-queued").innerText()).toBe("Cancel all queued (3)");
  await page.getByTestId("cancel-queued").click();
  await expect.poll(() => phases(english)).toEqual(["requesting", "requesting", "cancelled", "cancelled", "cancelled"]);
  expect(await page.getByTestId("cancel-queued").count()).toBe(0);
  await expect.poll(() => phases(english.slice(0, 2)), { timeout: 20_000 }).toEqual(["succeeded", "succeeded"]);
  expect(await imageCalls()).toHaveLength(callsBefore + 2);

  // The dev page mounts the panel afresh in the new language.
  await setLocale(page, "Chinese");
  const chinese = ["kept queue: 取消 1", "kept queue: 取消 2", "kept queue: 取消 3"];
  for (const prompt of chinese) await generate(page, prompt);
  await expect.poll(() => phases(chinese)).toEqual(["requesting", "requesting", "queued"]);
  expect(await page.getByTestId("cancel-queued").innerText()).toBe("取消所有排队请求（1）");
  await page.getByTestId("cancel-queued").click();
  await expect.poll(() => phases(chinese)).toEqual(["requesting", "requesting", "cancelled"]);
  await expect.poll(() => phases(chinese.slice(0, 2)), { timeout: 20_000 }).toEqual(["succeeded", "succeeded"]);
  expect(await imageCalls()).toHaveLength(callsBefore + 4);
  await setLocale(page, "English");
  await page.close();
}, 90_000);

it("recovers managed images a reload cut off, labels them recovered and shows them in Results; the queued one was never sent", async () => {
  const { page } = await openPanel(harness());
  await setSession(page, "HaloForge Cloud");
  await chooseMode(page, "HaloForge Cloud");
  await refocus(page);
  await expect.poll(() => page.getByTestId("gateway-status").getAttribute("data-tone"), { timeout: 10_000 }).toBe("ok");
  await queueManagedFault(page, "latency=3000", "latency=7000");
  const one = "kept managed: one harbour";
  const two = "kept managed: two harbours";
  const queued = "kept managed: three harbours, queued";
  const callsBefore = upstreamCalls(harness());
  const endedBefore = managedEnded();
  await generate(page, one);
  await expect.poll(() => phaseOf(page, one), { timeout: 10_000 }).toBe("requesting");
  await page.getByTestId("count").fill("2");
  await generate(page, two);
  await expect.poll(() => phaseOf(page, two), { timeout: 10_000 }).toBe("requesting");
  await page.getByTestId("count").fill("1");
  await generate(page, queued);
  await expect.poll(() => phaseOf(page, queued)).toBe("queued");
  await page.reload();
  await page.getByTestId("generate").waitFor();
  // The host finishes both calls on its own; the panel looks at the saved outputs when it comes back into view.
  await expect.poll(managedEnded, { timeout: 20_000 }).toBe(endedBefore + 2);
  expect(upstreamCalls(harness())).toBe(callsBefore + 2);
  await refocus(page);
  for (const [prompt, images] of [[one, 1], [two, 2]] as const) {
    const item = historyItem(page, prompt);
    await expect.poll(() => item.getByTestId("history-status").innerText(), { timeout: 10_000 }).toBe("Recovered");
    expect(await item.getByTestId("history-status").getAttribute("class")).toContain("is-ok");
    expect(await item.getByTestId("history-recovered").innerText()).toContain("Images recovered from the gateway");
    const group = page.getByTestId("result-group").filter({ hasText: prompt });
    await expect.poll(() => group.getByTestId("gallery-image").count()).toBe(images);
  }
  expect(await historyItem(page, queued).getByTestId("history-status").innerText()).toBe("Not sent");
  await screenshot(page, "history-recovered-managed-1280-en-dark");
  await setLocale(page, "Chinese");
  await expect.poll(() => historyItem(page, one).getByTestId("history-status").innerText()).toBe("已找回");
  expect(await historyItem(page, queued).getByTestId("history-status").innerText()).toBe("未发送");
  await setLocale(page, "English");
  expect(await requestCard(page, queued).count()).toBe(0);
  expect(upstreamCalls(harness())).toBe(callsBefore + 2);
  await page.close();
}, 90_000);
