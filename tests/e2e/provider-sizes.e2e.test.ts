// A provider's own size terms and fields through the dev host and the fake provider's strict
// modes: an xAI profile picks 16:9 at 2k, then Auto at 2k, and each call carries `aspect_ratio`
// and `resolution`, never `size` (which xAI refuses); a SiliconFlow profile sends a seed and a negative prompt, the
// draft keeps them across a reload and "Reuse settings" brings them back. Pictures of the composer
// with these fields at 1280 px in English and 480 px in Chinese. Needs `npm run build:e2e`.
import type { Page } from "playwright-core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { generate, openPanel, requestCard, screenshot, useHarness, setLocale } from "./support/harness.ts";

const harness = useHarness();
let page: Page;
let messages: string[];

beforeEach(async () => {
  ({ page, messages } = await openPanel(harness()));
});
afterEach(async () => {
  expect(messages.filter((message) => /^(error|pageerror): /.test(message))).toEqual([]);
  await page.close();
});

interface ProviderCall {
  method: string;
  path: string;
  fields?: string[];
  options?: Record<string, unknown>;
}
/** The generations the embedded fake provider received with these options in their path (its read-only `GET /calls`). */
async function generations(options: string): Promise<ProviderCall[]> {
  const origin = new URL(harness().fakeUrl()).origin;
  const { calls } = (await (await fetch(`${origin}/calls`)).json()) as { calls: ProviderCall[] };
  return calls.filter((call) => call.method === "POST" && call.path.includes(`/fake/${options}/`) && call.path.endsWith("/images/generations"));
}

/** A profile from `preset` pointing at the fake provider in `mode`, chosen in the gateway bar. */
async function useProfile(preset: string, name: string, mode: string) {
  await page.getByRole("button", { name: "Open settings" }).first().click();
  await page.getByTestId("profile-preset").selectOption(preset);
  await page.getByTestId("profile-add").click();
  await page.getByTestId("profile-name").fill(name);
  await page.getByTestId("profile-name").blur();
  await expect.poll(() => page.getByTestId("profile-select").locator("option:checked").innerText()).toBe(name);
  await page.getByTestId("base-url").fill(harness().fakeUrl(mode));
  await page.getByTestId("base-url").blur();
  await page.getByRole("button", { name: "Close settings" }).click();
  await page.getByRole("radiogroup", { name: "Gateway" }).getByRole("radio", { name, exact: true }).click();
  await expect.poll(() => page.getByTestId("gateway-label").innerText()).toBe(name);
}

/** The composer at 1280 px in English and at 480 px in Chinese, then back to 1280 px in English. */
async function pictures(name: string, inChinese: () => Promise<void> = async () => undefined) {
  await page.getByTestId("prompt").scrollIntoViewIfNeeded();
  await screenshot(page, `${name}-1280-en`);
  await setLocale(page, "zh");
  await inChinese();
  await page.setViewportSize({ width: 480, height: 860 });
  await page.getByTestId("prompt").scrollIntoViewIfNeeded();
  await screenshot(page, `${name}-480-zh`);
  await setLocale(page, "en");
  await page.setViewportSize({ width: 1280, height: 860 });
}

it("sends xAI its aspect_ratio and resolution from the size picker, and never a size", async () => {
  await useProfile("xai", "Grok", "mode=xai");
  // xAI's own ratios, not the gpt-image ones; no quality or format (it refuses them), no seed.
  await expect.poll(() => page.getByTestId("size").locator("option").allInnerTexts()).toEqual(["Auto", "1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16", "2:1", "1:2", "19.5:9", "9:19.5", "20:9", "9:20", "Custom size (WxH)"]);
  expect(await page.getByTestId("quality").count()).toBe(0);
  expect(await page.getByTestId("seed").count()).toBe(0);

  await page.getByTestId("size").selectOption("16:9");
  await expect.poll(() => page.getByTestId("size-resolution").getByRole("radio").allInnerTexts()).toEqual(["1k", "2k"]);
  await page.getByTestId("size-resolution").getByRole("radio", { name: "2k" }).click();
  await expect.poll(() => page.getByTestId("size-resolution").getByRole("radio", { checked: true }).innerText()).toBe("2k");
  // xAI names no pixels for it: no WxH is shown.
  expect(await page.getByTestId("size-exact").count()).toBe(0);
  await pictures("provider-sizes-xai");

  await generate(page, "a grok fox in widescreen");
  await expect.poll(() => requestCard(page, "a grok fox in widescreen").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  const [call, ...more] = await generations("mode=xai");
  expect(more).toEqual([]);
  expect(call!.options).toMatchObject({ model: "grok-imagine-image", aspect_ratio: "16:9", resolution: "2k" });
  expect(call!.fields).not.toContain("size");
  expect(call!.fields).not.toContain("quality");
  // History keeps the size as the picker named it.
  await expect.poll(() => page.getByTestId("history-item").filter({ hasText: "a grok fox in widescreen" }).innerText()).toContain("16:9 2k");

  // Auto leaves the ratio to xAI, at the resolution chosen.
  await page.getByTestId("size").selectOption("auto");
  await page.getByTestId("size-resolution").getByRole("radio", { name: "2k" }).click();
  await generate(page, "a grok fox, any shape");
  await expect.poll(() => requestCard(page, "a grok fox, any shape").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  const second = (await generations("mode=xai"))[1]!;
  expect(second.options).toMatchObject({ aspect_ratio: "auto", resolution: "2k" });
  expect(second.fields).not.toContain("size");
}, 120_000);

it("sends SiliconFlow a seed and a negative prompt, keeps them across a reload and reuses them", async () => {
  await useProfile("siliconflow", "Flow", "mode=siliconflow");
  await page.getByTestId("seed").fill("42");
  await page.getByTestId("negative-prompt").fill("blur, text");
  // A seed out of range is marked and nothing is sent until it is fixed.
  await page.getByTestId("seed").fill("10000000000");
  await page.getByTestId("prompt").fill("a seeded fox");
  await page.getByTestId("generate").click();
  await expect.poll(() => page.getByTestId("seed-error").innerText()).toBe("Seed: must be a whole number from 0 to 9,999,999,999");
  expect(await generations("mode=siliconflow")).toEqual([]);
  await page.getByTestId("seed").fill("42");
  await expect.poll(() => page.getByTestId("seed-error").count()).toBe(0);
  await pictures("provider-fields-siliconflow", async () => {
    const composer = page.locator("form.hfmig-composer");
    await expect.poll(() => composer.getByText("反向提示词", { exact: true }).count()).toBe(1);
    expect(await composer.getByText("种子", { exact: true }).count()).toBe(1);
  });

  await page.getByTestId("generate").click();
  await expect.poll(() => requestCard(page, "a seeded fox").getAttribute("data-phase"), { timeout: 30_000 }).toBe("succeeded");
  const [call] = await generations("mode=siliconflow");
  expect(call!.options).toMatchObject({ seed: 42, image_size: "1024x1024" });
  expect(call!.fields).toContain("negative_prompt");

  // The draft keeps both across a reload…
  await page.reload();
  await page.getByTestId("generate").waitFor();
  await expect.poll(() => page.getByTestId("seed").inputValue()).toBe("42");
  expect(await page.getByTestId("negative-prompt").inputValue()).toBe("blur, text");
  // …and "Reuse settings" brings back what the request was sent with.
  await page.getByTestId("seed").fill("");
  await page.getByTestId("negative-prompt").fill("");
  await page.getByTestId("history-item").filter({ hasText: "a seeded fox" }).first().getByTestId("history-rerun").click();
  await expect.poll(() => page.getByTestId("seed").inputValue()).toBe("42");
  expect(await page.getByTestId("negative-prompt").inputValue()).toBe("blur, text");
}, 120_000);
