import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const repoRoot = join(import.meta.dirname, "../..");

/** A throw-away plugin directory with the repo's manifest and the given files. */
export function pluginDir(files: Record<string, string | Uint8Array>, manifest?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "hfmig-plugin-"));
  if (manifest === undefined) cpSync(join(repoRoot, "manifest.json"), join(dir, "manifest.json"));
  else writeFileSync(join(dir, "manifest.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export function runScript(script: string, cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(join(repoRoot, "node_modules/.bin/tsx"), [join(repoRoot, "scripts", script), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Builds native/manifest-check, which plugin:check and plugin:pack run through cargo, so that no
 * test pays for its first compilation.
 */
export function buildOwnCheck(): void {
  const result = spawnSync("cargo", ["build", "--quiet", "--locked", "--manifest-path", join(repoRoot, "native", "Cargo.toml"), "-p", "manifest-check"], {
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("cargo build -p manifest-check failed");
}

/** Each script test starts node, tsx, the official packer and cargo: seconds on a busy machine. */
export const SCRIPT_TEST_TIMEOUT_MS = 60_000;

