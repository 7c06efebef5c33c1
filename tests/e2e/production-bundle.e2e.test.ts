// The production bundle (dist/, what users install) in the dev host's page under its strict
// Content-Security-Policy: it mounts and generates through the managed gateway with no CSP
// violation or console error. It carries no test hooks, so everything is found by role and name.
// Needs `npm run build` and `npm run build:e2e`.
import { join } from "node:path";
import { expect, it } from "vitest";
import { ROOT, useHarness } from "./support/harness.ts";

const harness = useHarness(["--dist", join(ROOT, "dist")]);

it("mounts and generates under the strict CSP with no violation, console error or test hook", async () => {
  const page = await harness().browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(`${harness().devhost.origin}/`);

  const panel = page.getByRole("region", { name: "Image Gateway" });
  await panel.getByRole("button", { name: "Generate", exact: true }).waitFor();
  // Production offers no mock mode.
  expect(await panel.getByRole("radiogroup", { name: "Gateway" }).getByRole("radio").allInnerTexts()).toEqual(["Auto", "HaloForge Cloud", "Custom endpoint"]);
  await expect.poll(() => panel.getByRole("status").first().innerText()).toMatch(/Managed gateway|HaloForge Cloud gateway/);

  await panel.getByRole("textbox", { name: "Prompt" }).fill("a lighthouse, production build");
  await panel.getByRole("button", { name: "Generate", exact: true }).click();
  await panel.getByRole("button", { name: "Open image 1" }).waitFor();

  expect(await page.locator("[data-testid]").count()).toBe(0);
  expect(problems).toEqual([]);
});
