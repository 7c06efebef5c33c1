// plugin:check's judges, in order: the official `hf-pack check`, then this project's own checks —
// the crate's manifest types and permission validator plus the rules neither applies
// (native/manifest-check) — and, in the source tree, that every entry exists after a build.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runHfPack } from "./hfPack.ts";
import { cargoLibraryFileName, currentNativeTarget } from "./nativeTarget.ts";

const repoRoot = join(import.meta.dirname, "../..");

/** The official packer's verdict on `<dir>/manifest.json` (it prints its errors and warnings). */
export function officialCheckPasses(dir: string): boolean {
  return runHfPack(["check", dir], dir) === 0;
}

/**
 * The crate's and our own verdict (native/manifest-check prints `[crate]` / `[own]` problems as
 * `path: message`); built by cargo on first use.
 */
export function ownCheckPasses(dir: string): boolean {
  const result = spawnSync(
    "cargo",
    ["run", "--quiet", "--locked", "--manifest-path", join(repoRoot, "native", "Cargo.toml"), "-p", "manifest-check", "--", join(dir, "manifest.json")],
    { stdio: "inherit" },
  );
  return result.status === 0;
}

interface Entries {
  icon?: string;
  entry?: { frontend?: string; frontend_styles?: string; native?: Record<string, string> };
  integration?: { level0?: { panel_entry?: string } };
}

/**
 * Entry paths that must exist once the plugin is built. In the source tree the native library
 * for this machine is cargo's release output; in an unpacked package it sits at its entry path.
 */
export function missingBuildOutputs(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Entries;
  const problems: string[] = [];
  const expect = (field: string, path: string | undefined) => {
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
