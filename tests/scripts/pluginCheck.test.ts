import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { currentNativeTarget } from "../../scripts/lib/nativeTarget.ts";
import { buildOwnCheck, pluginDir, repoRoot, runScript, SCRIPT_TEST_TIMEOUT_MS } from "./helpers.ts";

const manifest = JSON.parse(readFileSync(join(repoRoot, "manifest.json"), "utf8"));
const nativeEntry: string = manifest.entry.native[currentNativeTarget().platformKey];
const builtFiles = {
  "dist/index.js": "registerPlugin()",
  "dist/styles.css": ".hfmig-root{}",
  "assets/icon.svg": "<svg/>",
  [nativeEntry]: "ELF",
};

beforeAll(buildOwnCheck, 300_000);

describe("npm run plugin:check", { timeout: SCRIPT_TEST_TIMEOUT_MS }, () => {
  it("passes a manifest every judge accepts whose entries all exist", () => {
    const result = runScript("plugin-check.ts", pluginDir(builtFiles));
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("✓ manifest is valid for Managed Image Gateway v0.1.0");
    expect(result.stdout).toContain("plugin:check: the manifest passes every judge and every entry exists.");
    expect(result.status).toBe(0);
  });

  it("stops at the official hf-pack check with its message", () => {
    const result = runScript("plugin-check.ts", pluginDir(builtFiles, { ...manifest, version: "one" }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error: manifest.version must be a semantic version like 0.1.0");
    expect(result.stderr).toContain("the official hf-pack check failed");
  });

  it("then applies the crate's types, which the official check lacks", () => {
    const result = runScript("plugin-check.ts", pluginDir(builtFiles, { ...manifest, keywords: "image" }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('[crate] keywords: invalid type: string "image", expected a sequence');
  });

  it("then applies this project's own rules", () => {
    const level0 = { ...manifest.integration.level0, module_id: "settings" };
    const broken = { ...manifest, integration: { level0 }, entry: { ...manifest.entry, frontend_styles: "C:\\plugin\\styles.css" } };
    const result = runScript("plugin-check.ts", pluginDir(builtFiles, broken));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('[own] integration.level0.module_id: "settings" is one of the host\'s own modules');
    expect(result.stderr).toContain("[own] entry.frontend_styles:");
  });

  it("names each missing build output", () => {
    const result = runScript("plugin-check.ts", pluginDir({ "assets/icon.svg": "<svg/>" }));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("entry.frontend: dist/index.js does not exist");
    expect(result.stderr).toContain("entry.frontend_styles: dist/styles.css does not exist");
    expect(result.stderr).toContain(`entry.native.${currentNativeTarget().platformKey}: ${nativeEntry} does not exist`);
  });

  it("reports a manifest that is not JSON", () => {
    const result = runScript("plugin-check.ts", pluginDir({}, "{ not json"));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: .*JSON/m);
  });

  it("shows, without failing, the official packer's warning about sources that reach host internals", () => {
    const result = runScript("plugin-check.ts", pluginDir({ ...builtFiles, "src/raw.ts": 'invoke("plugin_invoke")' }));
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("warning: Found direct plugin IPC usage");
    expect(result.stderr).toMatch(/direct-plugin-ipc .*src\/raw\.ts/);
  });
});
