// Output URL abuse through a real provider answer: the fake provider's `insecure-url` fault answers
// 200 with `data: [{ url: "http://images.example.com/out.png" }]` (plain http, other origin). The
// other schemes (javascript:, data:text/html, file:) cannot be produced by a fault; they are covered
// by tests/panel/gatewayAdapters.test.ts and native/plugin/src/http/endpoint.rs. Needs `npm run build:e2e`.
import { expect, it } from "vitest";
import { chooseMode, generate, openPanel, setBaseUrl, useHarness } from "./support/harness.ts";

const ABUSIVE_HOST = "images.example.com";

const harness = useHarness();

it("neither renders nor fetches an insecure other-origin output URL, on the custom and the managed path", async () => {
  const { page } = await openPanel(harness());
  const fetched: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes(ABUSIVE_HOST)) fetched.push(request.url());
  });
  const phase = () => page.getByTestId("request").first().getAttribute("data-phase");
  const final = ["succeeded", "failed", "cancelled"];

  await setBaseUrl(page, harness().fakeUrl("fault=insecure-url"));
  await chooseMode(page, "Custom endpoint");
  await generate(page, "an answer with an insecure image URL");
  await expect.poll(async () => final.includes((await phase()) ?? ""), { timeout: 20_000 }).toBe(true);

  const queued = await page.evaluate(() =>
    fetch("/host/gateway/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ faults: ["insecure-url"] }) }).then((answer) => answer.status),
  );
  expect(queued).toBe(200);
  await chooseMode(page, "HaloForge Cloud");
  await generate(page, "a managed answer with an insecure image URL");
  await expect.poll(() => page.getByTestId("request").count()).toBe(2);
  await expect.poll(async () => final.includes((await phase()) ?? ""), { timeout: 20_000 }).toBe(true);

  expect(await page.getByTestId("request").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-phase")))).not.toContain("succeeded");
  const linked = await page.evaluate((host) => [...document.querySelectorAll("[href], [src]")].map((element) => element.getAttribute("href") ?? element.getAttribute("src") ?? "").filter((value) => value.includes(host)), ABUSIVE_HOST);
  expect(linked).toEqual([]);
  expect(fetched).toEqual([]);
}, 60_000);
