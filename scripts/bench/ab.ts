// npm run bench:ab -- <ref> <ref> [...] [--rounds N] [--floor]
//
// Cold opens of several builds side by side in one run: each ref (a commit, branch or tag, or
// `worktree` for the files as they are now) is built as the production bundle, then every round
// opens each build once in a fresh browser context, in an order that alternates, so load on this
// shared machine falls on all of them alike. Prints each figure's median per build and, against
// the first ref, the median of the per-round differences with how many rounds it was lower. The
// renderer's CPU time across each open (main thread, whole process) is steadier than wall time
// when other work loads the machine.
// A commit's build is kept under node_modules/.cache/hfmig-ab/ and reused.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { launchChromium } from "../../tests/e2e/support/chromium.ts";
import { buildFloor, buildHostPage, coldOpen, ROOT, serve, type Bundle, type Sample } from "./coldstart/fixtures.ts";
import { FLOOR_PLUGIN_ID } from "./coldstart/floorId.ts";
import { summarize } from "./types.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: "string", default: "30" }, "warm-up": { type: "string", default: "3" }, floor: { type: "boolean", default: false } },
});
if (positionals.length < 2 && !(positionals.length === 1 && values.floor)) {
  console.error("usage: npm run bench:ab -- <ref> <ref> [...] [--rounds N] [--warm-up N] [--floor]   (ref: a commit, or `worktree`)");
  process.exit(2);
}
const ROUNDS = Number(values.rounds);
const WARM_UP = Number(values["warm-up"]);
const CACHE = join(ROOT, "node_modules/.cache/hfmig-ab");
const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
const work = mkdtempSync(join(tmpdir(), "hfmig-ab-"));

/** The production bundle of `ref` as that commit builds it (its own Vite config and sources). */
function buildRef(ref: string): { dir: string; pluginId: string } {
  if (ref === "worktree") {
    const dir = join(work, "worktree");
    execFileSync("npx", ["vite", "build", "--mode", "production", "--outDir", dir, "--logLevel", "error"], { cwd: ROOT, stdio: "inherit" });
    return { dir, pluginId: JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")).id };
  }
  const sha = git("rev-parse", "--verify", `${ref}^{commit}`);
  const dir = join(CACHE, sha);
  const pluginId = JSON.parse(git("show", `${sha}:manifest.json`)).id as string;
  if (existsSync(join(dir, "index.js"))) return { dir, pluginId };
  // The commit's files without touching the repository's worktree list; our node_modules serve it.
  const source = join(work, `src-${sha}`);
  mkdirSync(source, { recursive: true });
  execFileSync("sh", ["-c", `git archive ${sha} | tar -x -C "${source}"`], { cwd: ROOT });
  execFileSync("ln", ["-s", join(ROOT, "node_modules"), join(source, "node_modules")]);
  execFileSync("npx", ["vite", "build", "--mode", "production", "--outDir", dir, "--logLevel", "error"], { cwd: source, stdio: "inherit" });
  return { dir, pluginId };
}

const builds = positionals.map((ref) => {
  const { dir, pluginId } = buildRef(ref);
  console.log(`${ref}: ${dir}`);
  return { ref, dir, pluginId };
});
await buildHostPage(join(work, "page"));
const folders: Record<string, string> = { page: join(work, "page") };
const bundles: { name: string; bundle: Bundle }[] = builds.map((build, index) => {
  folders[`b${index}`] = build.dir;
  return { name: build.ref, bundle: { pluginId: build.pluginId, script: `/b${index}/index.js`, styles: `/b${index}/styles.css` } };
});
if (values.floor) {
  await buildFloor(join(work, "floor"));
  folders.floor = join(work, "floor");
  bundles.push({ name: "floor", bundle: { pluginId: FLOOR_PLUGIN_ID, script: "/floor/index.js", styles: "/floor/styles.css" } });
}

const server = await serve(folders);
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchChromium();
type Measured = Sample & { threadMs: number; processMs: number };
const samples = bundles.map(() => [] as Measured[]);
/** The renderer's CPU time (its main thread, and the whole process) across the open: wall time waits for the CPU on a loaded machine, this does not. */
const withCpu = async (bundle: Bundle): Promise<Measured> => {
  let cpu = { threadMs: 0, processMs: 0 };
  const sample = await coldOpen(browser, origin, bundle, async (cdp, open) => {
    await cdp.send("Performance.enable");
    const read = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((metric) => [metric.name, metric.value]));
    const before = await read();
    const timing = await open();
    const after = await read();
    cpu = { threadMs: (after.ThreadTime! - before.ThreadTime!) * 1000, processMs: (after.ProcessTime! - before.ProcessTime!) * 1000 };
    return timing;
  });
  return { ...sample, ...cpu };
};
try {
  for (let round = 0; round < WARM_UP + ROUNDS; round += 1) {
    // Rotate the starting bundle and reverse every other round: no build always opens first or last.
    const order = bundles.map((_, index) => (index + round) % bundles.length);
    if (round % 2 === 1) order.reverse();
    for (const index of order) {
      const sample = await withCpu(bundles[index]!.bundle);
      if (round >= WARM_UP) samples[index]!.push(sample);
    }
    if (round >= WARM_UP && (round - WARM_UP + 1) % 10 === 0) console.log(`round ${round - WARM_UP + 1}/${ROUNDS}`);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}

const FIGURES: [keyof Measured, string, string][] = [
  ["coldStartMs", "cold start", "ms"],
  ["evaluateMs", "evaluate", "ms"],
  ["mountMs", "mount", "ms"],
  ["loadMs", "load", "ms"],
  ["heapMb", "heap", "MB"],
  ["threadMs", "main thread CPU", "ms"],
  ["processMs", "renderer CPU", "ms"],
];
const median = (list: number[]) => summarize(list).median;
const digits = (unit: string) => (unit === "MB" ? 3 : 1);
const floorIndex = values.floor ? bundles.length - 1 : -1;
console.log(`\n${ROUNDS} rounds (after ${WARM_UP} warm-up), medians; Δ = median of per-round differences against ${bundles[0]!.name}, with the rounds it was lower`);
for (const [key, label, unit] of FIGURES) {
  const base = samples[0]!.map((sample) => sample[key]);
  const cells = bundles.map(({ name }, index) => {
    const own = samples[index]!.map((sample) => sample[key]);
    let cell = `${name} ${median(own).toFixed(digits(unit))}`;
    if (floorIndex >= 0 && index !== floorIndex) cell += ` (${(median(own) / median(samples[floorIndex]!.map((sample) => sample[key]))).toFixed(2)}× floor)`;
    if (index > 0 && index !== floorIndex) {
      const differences = own.map((value, round) => value - base[round]!);
      const delta = median(differences);
      cell += ` Δ ${delta >= 0 ? "+" : ""}${delta.toFixed(digits(unit))} (${differences.filter((difference) => difference < 0).length}/${ROUNDS} lower)`;
    }
    return cell;
  });
  console.log(`${`${label} (${unit})`.padEnd(16)} ${cells.join(" | ")}`);
}
