// The published haloforge-plugin-api crate package (a locked dependency of native/) ships HaloForge's
// own frontend SDK (sdk/) and packer (pack/). This finds it through cargo, which downloads it when
// it is missing, and copies a part of it under node_modules/.cache so that its bare imports
// (commander, @tauri-apps/api, react …) resolve to this project's node_modules.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const CRATE_NAME = "haloforge-plugin-api";
export const CRATE_VERSION = "0.2.16";

const repoRoot = join(import.meta.dirname, "../..");

interface CargoMetadata {
  packages: { name: string; version: string; manifest_path: string }[];
}

let cachedDir: string | undefined;

/** The crate package's folder (the one holding sdk/, pack/, docs/, templates/). */
export function cratePackageDir(): string {
  if (cachedDir) return cachedDir;
  const metadata = JSON.parse(
    execFileSync(
      "cargo",
      ["metadata", "--format-version", "1", "--locked", "--manifest-path", join(repoRoot, "native", "Cargo.toml")],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
    ),
  ) as CargoMetadata;
  const found = metadata.packages.find((pkg) => pkg.name === CRATE_NAME);
  if (!found) throw new Error(`${CRATE_NAME} is not a dependency of native/Cargo.toml`);
  if (found.version !== CRATE_VERSION) throw new Error(`${CRATE_NAME} is ${found.version}; this project is built on ${CRATE_VERSION}`);
  cachedDir = dirname(found.manifest_path);
  return cachedDir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function digestOf(dir: string): string {
  const hash = createHash("sha256");
  for (const file of filesUnder(dir)) hash.update(file).update("\0").update(readFileSync(join(dir, file))).update("\0");
  return hash.digest("hex");
}

/**
 * Copies `<crate>/<part>` to node_modules/.cache/haloforge-plugin-api-<version>/<part> (again only
 * when the sources changed), runs `build` on the copy, and returns the copy's folder. The copy is
 * made beside and renamed into place, so test processes starting together never see half of one.
 */
export function materialize(part: "sdk" | "pack", build?: (dir: string) => void): string {
  const source = join(cratePackageDir(), part);
  const target = join(repoRoot, "node_modules", ".cache", `${CRATE_NAME}-${CRATE_VERSION}`, part);
  const digest = digestOf(source);
  const fresh = () => existsSync(join(target, STAMP)) && readFileSync(join(target, STAMP), "utf8") === digest;
  if (fresh()) return target;
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(source, staging, { recursive: true });
  build?.(staging);
  writeFileSync(join(staging, STAMP), digest);
  try {
    renameSync(staging, target);
  } catch {
    // Another process got there first (keep its copy), or the copy in place is stale.
    if (fresh()) {
      rmSync(staging, { recursive: true, force: true });
      return target;
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  return target;
}

const STAMP = ".source-sha256";
