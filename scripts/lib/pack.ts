import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync, type Zippable } from "fflate";
import type { PluginManifest } from "../../src/schemas/manifest.ts";
import type { NativeTarget } from "./nativeTarget.ts";

export interface PackInput {
  rootDir: string;
  manifest: PluginManifest;
  outDir: string;
  /** The built native library for `target`, or undefined to pack without a backend. */
  nativeLibrary?: { path: string; target: NativeTarget };
}

export interface PackOutput {
  packagePath: string;
  digestPath: string;
  sha256: string;
  files: string[];
}

const PACKAGE_SUFFIXES = [".hfpkg", ".hfpkg.sha256"];

/** The manifest as packed: one native entry for the packed target, platforms set to its family. */
export function packedManifest(manifest: PluginManifest, target?: NativeTarget): PluginManifest {
  const entry = { ...manifest.entry };
  if (target) entry.native = { [target.platformKey]: nativeEntryPath(target) };
  else delete entry.native;
  return {
    ...manifest,
    entry,
    compatibility: target ? { ...manifest.compatibility, platforms: [target.family] } : manifest.compatibility,
  };
}

export const nativeEntryPath = (target: NativeTarget) => `native/${target.triple}.${target.extension}`;

/**
 * Writes `<outDir>/<id>-<version>.hfpkg` (zip: manifest.json at the root, the frontend build under
 * the first segment of entry.frontend, assets/, LICENSE, native library at its entry path) and
 * the `.sha256` sidecar, as HaloForge's packer does (HOST-CONTRACT.md §6).
 */
export function packPlugin({ rootDir, manifest, outDir, nativeLibrary }: PackInput): PackOutput {
  const files: Zippable = {};
  const add = (name: string, data: Uint8Array) => {
    files[name] = data;
  };
  const addTree = (relative: string) => {
    const absolute = join(rootDir, relative);
    if (!existsSync(absolute)) return;
    if (statSync(absolute).isFile()) return add(relative, readFileSync(absolute));
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (PACKAGE_SUFFIXES.some((suffix) => entry.name.endsWith(suffix))) continue;
      addTree(`${relative}/${entry.name}`);
    }
  };

  const frontend = manifest.entry?.frontend;
  if (frontend) {
    const frontendRoot = frontend.split(/[/\\]/)[0]!;
    if (!existsSync(join(rootDir, frontend))) throw new Error(`entry.frontend: ${frontend} does not exist; build the frontend first`);
    addTree(frontendRoot);
  }
  addTree("assets");
  addTree("LICENSE");
  if (nativeLibrary) {
    if (!existsSync(nativeLibrary.path)) throw new Error(`native library not found: ${nativeLibrary.path}`);
    add(nativeEntryPath(nativeLibrary.target), readFileSync(nativeLibrary.path));
  }
  const manifestJson = `${JSON.stringify(packedManifest(manifest, nativeLibrary?.target), null, 2)}\n`;
  add("manifest.json", new TextEncoder().encode(manifestJson));

  // Fixed timestamps keep the archive reproducible for the same inputs.
  const zip = zipSync(files, { level: 9, mtime: new Date("2026-01-01T00:00:00Z") });
  mkdirSync(outDir, { recursive: true });
  const fileName = `${manifest.id}-${manifest.version}.hfpkg`;
  const packagePath = join(outDir, fileName);
  writeFileSync(packagePath, zip);
  const sha256 = createHash("sha256").update(zip).digest("hex");
  const digestPath = `${packagePath}.sha256`;
  writeFileSync(digestPath, `${sha256}  ${fileName}\n`);
  return { packagePath, digestPath, sha256, files: Object.keys(files).sort() };
}
