// The licence notice for the Rust crates linked into the plugin library: every crate the plugin
// crate reaches through normal (not dev or build) dependencies on a platform the manifest ships
// a library for, except procedural macros (they run in the compiler and leave no code in the
// library). Read from `cargo metadata` and the licence files each crate ships; where a crate
// offers MIT among alternatives, its MIT text is the one used. Identical texts are printed once.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export const NOTICE_PATH = "assets/THIRD-PARTY-LICENSES.txt";
const PLUGIN_CRATE = "managed-image-gateway";

interface Package {
  name: string;
  version: string;
  license: string | null;
  repository: string | null;
  manifest_path: string;
}

const cargo = (rootDir: string, args: string[]) =>
  execFileSync("cargo", [...args, "--locked", "--manifest-path", join(rootDir, "native", "Cargo.toml")], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });

/** The target triples of `entry.native` (`native/x86_64-unknown-linux-gnu.so` → the triple). */
function shippedTargets(rootDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(rootDir, "manifest.json"), "utf8")) as { entry?: { native?: Record<string, string> } };
  return Object.values(manifest.entry?.native ?? {}).map((path) => basename(path).replace(/\.(so|dylib|dll)$/, "")).sort();
}

/**
 * The crates linked into the plugin library: `cargo tree` resolves the plugin crate's own
 * features (not the workspace's), normal dependencies only, without procedural macros.
 */
export function linkedCrates(rootDir: string): Package[] {
  const targets = shippedTargets(rootDir).flatMap((triple) => ["--target", triple]);
  const tree = cargo(rootDir, ["tree", "-p", PLUGIN_CRATE, "-e", "normal,no-proc-macro", ...targets, "--prefix", "none", "-f", "{p}"]);
  const wanted = new Set(
    tree
      .split("\n")
      .map((line) => /^(\S+) v(\S+)/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null && match[1] !== PLUGIN_CRATE)
      .map((match) => `${match[1]} ${match[2]}`),
  );
  const { packages } = JSON.parse(cargo(rootDir, ["metadata", "--format-version", "1"])) as { packages: Package[] };
  const found = packages.filter((pkg) => wanted.has(`${pkg.name} ${pkg.version}`));
  if (found.length !== wanted.size) throw new Error("cargo metadata is missing crates cargo tree lists");
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

const LICENCE_FILE = /^(licen[cs]e|copying|notice|copyright)/i;

function licenceTexts(pkg: Package): { file: string; text: string }[] {
  const dir = dirname(pkg.manifest_path);
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && LICENCE_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const offersMit = (pkg.license ?? "").split(/\s+OR\s+|\//).some((choice) => choice.trim().replace(/[()]/g, "") === "MIT");
  const mitFiles = files.filter((file) => /mit/i.test(file));
  return (offersMit && mitFiles.length > 0 ? mitFiles : files)
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8").replace(/\r\n/g, "\n").trim() }));
}

/** The notice's text, the same for the same Cargo.lock and crate sources. */
export function thirdPartyNotice(rootDir: string): string {
  const crates = linkedCrates(rootDir);
  const texts = new Map<string, { file: string; users: string[] }>();
  const lines = [
    "Third-party software in the Managed Image Gateway plugin's native library",
    "",
    "The native library (native/ in the package) links these Rust crates statically; the list",
    "covers every platform the plugin is built for. Each crate's licence texts follow the list;",
    "a text several crates ship word for word is printed once, naming them all.",
    "Generated from Cargo.lock by scripts/third-party-licenses.ts; do not edit by hand.",
    "",
  ];
  for (const pkg of crates) {
    const label = `${pkg.name} ${pkg.version}`;
    const files = licenceTexts(pkg);
    lines.push(`- ${label}: ${pkg.license ?? "licence not declared"}${pkg.repository ? ` (${pkg.repository})` : ""}${files.length === 0 ? " [the crate ships no licence file]" : ""}`);
    for (const { file, text } of files) {
      const entry = texts.get(text) ?? { file, users: [] };
      entry.users.push(`${label} (${file})`);
      texts.set(text, entry);
    }
  }
  for (const [text, { users }] of texts) {
    lines.push("", "=".repeat(78), `Used by: ${users.join(", ")}`, "-".repeat(78), text);
  }
  return `${lines.join("\n")}\n`;
}

/** Whether the committed notice is the one Cargo.lock gives. */
export function noticeIsCurrent(rootDir: string): boolean {
  const file = join(rootDir, NOTICE_PATH);
  return existsSync(file) && readFileSync(file, "utf8") === thirdPartyNotice(rootDir);
}
