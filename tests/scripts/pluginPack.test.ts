import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { checkManifestFile } from "../../scripts/lib/checkPlugin.ts";
import { currentNativeTarget } from "../../scripts/lib/nativeTarget.ts";
import { packPlugin } from "../../scripts/lib/pack.ts";
import { manifestProblems } from "../../src/schemas/manifest.ts";
import { pluginDir, runScript } from "./helpers.ts";

const built = {
  "dist/index.js": "registerPlugin()",
  "dist/styles.css": ".hfmig-root{}",
  "dist/old-0.0.1.hfpkg": "stale package",
  "assets/icon.svg": "<svg/>",
  LICENSE: "MIT",
  "build/libplugin.so": "\u007fELF native library",
};

describe("plugin packing", () => {
  it("writes a .hfpkg with the host's layout and a matching sha256 sidecar", () => {
    const dir = pluginDir(built);
    const { manifest } = checkManifestFile(dir);
    const target = currentNativeTarget();
    const packed = packPlugin({
      rootDir: dir,
      manifest: manifest!,
      outDir: join(dir, "dist"),
      nativeLibrary: { path: join(dir, "build/libplugin.so"), target },
    });

    expect(packed.packagePath).toBe(join(dir, "dist", "dev.haloforge.managed-image-gateway-0.1.0.hfpkg"));
    const zip = readFileSync(packed.packagePath);
    const digest = createHash("sha256").update(zip).digest("hex");
    expect(readFileSync(packed.digestPath, "utf8")).toBe(`${digest}  dev.haloforge.managed-image-gateway-0.1.0.hfpkg\n`);

    const entries = unzipSync(zip);
    const nativePath = `native/${target.triple}.${target.extension}`;
    expect(Object.keys(entries).sort()).toEqual(
      ["LICENSE", "assets/icon.svg", "dist/index.js", "dist/styles.css", "manifest.json", nativePath].sort(),
    );
    expect(strFromU8(entries[nativePath]!)).toBe("\u007fELF native library");

    const packedManifestText = strFromU8(entries["manifest.json"]!);
    const packedManifest = JSON.parse(packedManifestText);
    expect(packedManifestText).toBe(`${JSON.stringify(packedManifest, null, 2)}\n`);
    expect(packedManifest.entry.native).toEqual({ [target.platformKey]: nativePath });
    expect(packedManifest.compatibility.platforms).toEqual([target.family]);
    expect(manifestProblems(packedManifest)).toEqual([]);
  });

  it("produces the same bytes for the same inputs", () => {
    const dir = pluginDir(built);
    const { manifest } = checkManifestFile(dir);
    const first = packPlugin({ rootDir: dir, manifest: manifest!, outDir: join(dir, "out1") });
    const second = packPlugin({ rootDir: dir, manifest: manifest!, outDir: join(dir, "out2") });
    expect(second.sha256).toBe(first.sha256);
  });

  it("refuses to pack a manifest that fails the check", () => {
    const broken = { ...JSON.parse(readFileSync(join(pluginDir({}), "manifest.json"), "utf8")), id: "" };
    const result = runScript("plugin-pack.ts", pluginDir(built, broken), ["--no-frontend", "--no-backend"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("id: must not be blank");
    expect(result.stderr).toContain("refusing to pack");
  });

  it("names a missing frontend build", () => {
    const result = runScript("plugin-pack.ts", pluginDir({ "assets/icon.svg": "<svg/>" }), ["--no-frontend", "--no-backend"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("entry.frontend: dist/index.js does not exist");
  });
});
