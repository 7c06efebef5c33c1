import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { manifestProblems, type PluginManifest } from "../../src/schemas/manifest.ts";
import { cargoLibraryFileName, currentNativeTarget } from "./nativeTarget.ts";

export interface CheckResult {
  manifest?: PluginManifest;
  problems: string[];
}

/** Reads `<dir>/manifest.json` and reports every problem of it as `path: message`. */
export function checkManifestFile(dir: string): CheckResult {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) return { problems: [`manifest.json: not found in ${dir}`] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { problems: [`manifest.json: not valid JSON (${(error as Error).message})`] };
  }
  const problems = manifestProblems(json);
  return problems.length > 0 ? { problems } : { manifest: json as PluginManifest, problems };
}

/**
 * Entry paths that must exist once the plugin is built. In the source tree the native library
 * for this machine is cargo's release output; in an unpacked package it sits at its entry path.
 */
export function missingBuildOutputs(dir: string, manifest: PluginManifest): string[] {
  const problems: string[] = [];
  const expect = (field: string, path: string | null | undefined) => {
    if (path && !existsSync(join(dir, path))) problems.push(`${field}: ${path} does not exist (run npm run build first)`);
  };
  expect("entry.frontend", manifest.entry?.frontend);
  expect("entry.frontend_styles", manifest.entry?.frontend_styles);
  expect("integration.level0.panel_entry", manifest.integration?.level0?.panel_entry);
  expect("icon", manifest.icon);

  const target = currentNativeTarget();
  const nativeEntry = manifest.entry?.native?.[target.platformKey];
  if (nativeEntry) {
    const field = `entry.native.${target.platformKey}`;
    if (existsSync(join(dir, "native", "Cargo.toml"))) {
      const built = join("native", "target", "release", cargoLibraryFileName(target));
      if (!existsSync(join(dir, built))) {
        problems.push(`${field}: the native library ${built} does not exist (run npm run plugin:pack, or cargo build --release in native/)`);
      }
    } else {
      expect(field, nativeEntry);
    }
  }
  return problems;
}

const SKIPPED_DIRS = new Set([".git", "dist", "build", ".output", "node_modules", "target"]);
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|vue)$/;
const HOST_INTERNALS = /__HF_HOST|plugin_invoke|aichat_(?:send_message|stop_generation|create_session|get_stream_state)|devkit_(?:pick_file|pick_directory|save_file)/;

/** The packer's warnings: sources that reach host internals instead of going through the SDK. */
export function hostInternalsWarnings(dir: string): string[] {
  const warnings: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (SOURCE_FILE.test(entry.name) && HOST_INTERNALS.test(readFileSync(join(dir, path), "utf8"))) {
        warnings.push(`${path}: uses host internals directly (expected only inside the plugin SDK)`);
      }
    }
  };
  walk("");
  return warnings;
}
