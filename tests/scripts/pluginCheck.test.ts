import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentNativeTarget } from "../../scripts/lib/nativeTarget.ts";
import { pluginDir, repoRoot, runScript } from "./helpers.ts";

const manifest = JSON.parse(readFileSync(join(repoRoot, "manifest.json"), "utf8"));
const nativeEntry: string = manifest.entry.native[currentNativeTarget().platformKey];
const builtFiles = {
  "dist/index.js": "registerPlugin()",
  "dist/styles.css": ".hfmig-root{}",
  "assets/icon.svg": "<svg/>",
  [nativeEntry]: "ELF",
};

describe("npm run plugin:check", () => {
  it("passes a valid manifest whose entries all exist", () => {
    const result = runScript("plugin-check.ts", pluginDir(builtFiles));
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("dev.haloforge.managed-image-gateway@0.1.0 is valid");
  });

  it("prints every manifest problem as path: message and exits 1", () => {
    const broken = { ...manifest, version: "one", capability_levels: [], permissions: [{ type: "network_everything" }] };
    const result = runScript("plugin-check.ts", pluginDir(builtFiles, broken));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("version: must be a semantic version X.Y.Z[-pre][+build]");
    expect(result.stderr).toContain("capability_levels: must list at least one capability level");
    expect(result.stderr).toContain('permissions.0.type: unknown permission "network_everything"');
    expect(result.stderr).toContain("3 problems");
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
    expect(result.stderr).toMatch(/^manifest\.json: not valid JSON/);
  });

  it("warns, without failing, about sources that reach host internals", () => {
    const result = runScript("plugin-check.ts", pluginDir({ ...builtFiles, "src/raw.ts": 'invoke("plugin_invoke")' }));
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("warning: src/raw.ts: uses host internals directly");
  });
});
