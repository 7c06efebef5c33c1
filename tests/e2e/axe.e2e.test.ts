// An automated accessibility check (axe-core) over the panel's main states, in both locales and
// both themes: no serious or critical violation.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chooseMode, generate, openPanel, phaseOf, prepareEdit, setSession, useHarness } from "./support/harness.ts";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const harness = useHarness();

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical violations axe finds in the panel right now. */
async function seriousViolations(page: Page, state: string): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's Content-Security-Policy does not govern.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: string, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(".hfmig-root", { resultTypes: ["violations"] })).violations;
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${state}: ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

async function setLocaleAndTheme(page: Page, locale: "English" | "Chinese", theme: "Light" | "Dark") {
  await page.getByRole("radiogroup", { name: "Locale" }).getByRole("radio", { name: locale }).check();
  await page.getByRole("radiogroup", { name: "Theme" }).getByRole("radio", { name: theme }).check();
  await expect.poll(() => page.locator(".hfmig-root").getAttribute("lang")).toBe(locale === "English" ? "en" : "zh-CN");
}

describe("accessibility (axe-core)", () => {
  it("finds no serious or critical violation in any main state, in English and Chinese, light and dark", async () => {
    const { page } = await openPanel(harness());
    await chooseMode(page, "Mock");
    await generate(page, "an accessible lighthouse");
    await expect.poll(() => phaseOf(page, "an accessible lighthouse"), { timeout: 20_000 }).toBe("succeeded");
    await chooseMode(page, "HaloForge Cloud");
    await setSession(page, "Signed out");
    await generate(page, "a request while signed out");
    await expect.poll(() => phaseOf(page, "a request while signed out"), { timeout: 20_000 }).toBe("failed");
    await setSession(page, "HaloForge Cloud");
    await prepareEdit(page, harness(), 2);

    const found: string[] = [];
    for (const locale of ["English", "Chinese"] as const) {
      for (const theme of ["Light", "Dark"] as const) {
        await setLocaleAndTheme(page, locale, theme);
        const state = `${locale}, ${theme}`;
        found.push(...(await seriousViolations(page, `${state}: results, cards, history, edit with mask`)));
        await page.locator(".hfmig-root").getByRole("button", { name: locale === "English" ? "Open settings" : "打开设置" }).first().click();
        found.push(...(await seriousViolations(page, `${state}: settings`)));
        await page.keyboard.press("Escape");
        await page.getByTestId("gallery-image").first().locator("button").first().click();
        await page.getByTestId("viewer").waitFor();
        found.push(...(await seriousViolations(page, `${state}: viewer`)));
        await page.keyboard.press("Escape");
        await page.getByTestId("viewer").waitFor({ state: "detached" });
      }
    }
    expect(found).toEqual([]);
    await page.close();
  }, 180_000);
});
