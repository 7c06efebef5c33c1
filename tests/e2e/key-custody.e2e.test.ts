// A key an earlier version left in the host settings (which any plugin's frontend can read with
// plugin_get_settings) is moved into the native backend's custody, and the upgrade gives it to
// the first profile ("default"), bound to the base URL it was used with: the settings lose it,
// the profile's owner-only key file gets it, a log line says so, and neither the page, its
// storage nor the log ever shows it. Needs `npm run build:e2e`.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { dumpStorage, openPanel, useHarness } from "./support/harness.ts";

const PLUGIN_ID = "dev.haloforge.managed-image-gateway";
const OLD_KEY = "sk-left-in-host-settings-PLANTED-7d41";
const ADOPT = `plugin_${PLUGIN_ID.replace(/[.-]/g, "_")}_adopt_legacy_key`;

const harness = useHarness();

it("moves a key out of the host settings into the key file and never shows it", async () => {
  const { page, messages } = await openPanel(harness());
  const invoke = (command: string, args: unknown) =>
    page.evaluate(([command, args]) => (window as unknown as { __TAURI_INTERNALS__: { invoke(c: string, a: unknown): Promise<unknown> } }).__TAURI_INTERNALS__.invoke(command as string, args), [command, args] as const);
  // What an earlier version wrote: the key among the other settings.
  await invoke("plugin_save_settings", { pluginId: PLUGIN_ID, settings: { gatewayMode: "custom", customEndpointApiKey: OLD_KEY } });
  // The settings upgrade's one call: the earlier key becomes the first profile's, for its base URL.
  const adopted = await invoke("plugin_invoke", { args: { wire_name: ADOPT, args: { profileId: "default", baseUrl: harness().fakeUrl() } } });
  expect(adopted).toEqual({ ok: true, adopted: true, storage: "file" });

  await page.getByRole("button", { name: "Open settings" }).first().click();
  await expect.poll(() => page.getByTestId("key-status").innerText()).toBe("A key is stored by the native backend.");
  await expect.poll(() => page.getByTestId("key-place").innerText()).toBe("Kept in the plugin data file (owner-only).");

  expect(await invoke("plugin_get_settings", { pluginId: PLUGIN_ID })).toEqual({ gatewayMode: "custom" });
  const data = join(harness().home, ".haloforge", "plugins", PLUGIN_ID, "data");
  expect(existsSync(join(data, "custom-endpoint-api-key.json")), "the earlier entry is gone").toBe(false);
  const keyFile = join(data, "custom-endpoint-api-key.default.json");
  expect(readFileSync(keyFile, "utf8")).toContain(OLD_KEY);
  if (process.platform !== "win32") expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  await expect.poll(() => harness().logText()).toContain("api key moved out of host settings storage=file");

  for (const [where, text] of [
    ["host log", harness().logText()],
    ["localStorage / IndexedDB", await dumpStorage(page)],
    ["page HTML", await page.content()],
    ["console", messages.join("\n")],
  ]) {
    expect(text, where).not.toContain(OLD_KEY);
  }
}, 60_000);
