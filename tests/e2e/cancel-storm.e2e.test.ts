// Cancel storm: 20 requests on a slow custom endpoint, each cancelled at a random (seeded) moment
// — queued, requesting or already done. Needs `npm run build:e2e`.
import { expect, it } from "vitest";
import { chooseMode, generate, openPanel, setBaseUrl, useHarness } from "./support/harness.ts";

const REQUESTS = 20;
const PLUGIN_WIRE_PREFIX = "plugin_dev_haloforge_managed_image_gateway_";

/** mulberry32: a small seeded generator, so a failing storm can be replayed. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ids = (log: string, pattern: RegExp) => [...log.matchAll(pattern)].map((match) => match[1]!);

const harness = useHarness();

it("ends 20 randomly cancelled requests as cancelled or succeeded, with nothing left running natively or on screen", async () => {
  const { page } = await openPanel(harness());
  await setBaseUrl(page, harness().fakeUrl("latency=1200"));
  await chooseMode(page, "Custom endpoint");
  const random = seeded(20_261_123);
  const card = (index: number) => page.getByTestId("request").filter({ hasText: `storm ${String(index).padStart(2, "0")}` });

  // Cancels are scheduled inside the page, so they fire at their moment whatever Playwright is
  // doing (concurrent Playwright actions on one page can land on a moving target).
  let lastMoment = 0;
  for (let index = 0; index < REQUESTS; index += 1) {
    const prompt = `storm ${String(index).padStart(2, "0")}`;
    await generate(page, prompt);
    await card(index).waitFor();
    const moment = Math.floor(random() * 2500);
    lastMoment = Math.max(lastMoment, Date.now() + moment);
    await page.evaluate(
      ({ prompt, moment }) => {
        setTimeout(() => {
          const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="request"]')];
          // Already finished: the cancel button is gone, which is one of the outcomes under test.
          cards.find((element) => element.textContent?.includes(prompt))?.querySelector<HTMLElement>('[data-testid="cancel"]')?.click();
        }, moment);
      },
      { prompt, moment },
    );
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastMoment - Date.now()) + 100));

  const phases = () => page.getByTestId("request").evaluateAll((cards) => cards.map((element) => element.getAttribute("data-phase")));
  await expect.poll(async () => (await phases()).every((phase) => phase === "cancelled" || phase === "succeeded"), { timeout: 30_000 }).toBe(true);
  const final = await phases();
  expect(final).toHaveLength(REQUESTS);
  expect(final.filter((phase) => phase === "cancelled").length).toBeGreaterThan(0);
  expect(await page.getByTestId("cancel").count(), "a request card still offers Cancel").toBe(0);

  // Native side: every request that reached the plugin logged exactly one terminal line...
  const started = () => ids(harness().logText(), /: image request started request_id=(\S+)/g);
  const terminal = () => ids(harness().logText(), /: image request (?:succeeded|failed|cancelled) request_id=(\S+)/g);
  await expect.poll(() => terminal().length, { timeout: 15_000 }).toBe(started().length);
  expect(started().length).toBeGreaterThan(0);
  expect([...terminal()].sort()).toEqual([...started()].sort());
  // ...and none is still registered: cancelling it again finds nothing to cancel.
  const answers = await page.evaluate(
    ({ requestIds, wireName }) => {
      const tauri = (window as unknown as { __TAURI_INTERNALS__: { invoke(command: string, args: unknown): Promise<unknown> } }).__TAURI_INTERNALS__;
      return Promise.all(requestIds.map((requestId) => tauri.invoke("plugin_invoke", { args: { wire_name: wireName, args: { requestId } } })));
    },
    { requestIds: started(), wireName: `${PLUGIN_WIRE_PREFIX}cancel_request` },
  );
  for (const answer of answers) expect(answer).toMatchObject({ cancelled: false });
}, 85_000);
