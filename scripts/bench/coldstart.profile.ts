// npm run bench:profile — where a cold open of our bundle spends its main-thread time. Builds an
// unminified production bundle (Vite marks each module with a `// path` line), CPU-profiles cold
// opens in the host-shaped page (CDP Profiler, 100 µs sampling) and sums self time per module.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../../tests/e2e/support/chromium.ts";
import { id as PLUGIN_ID } from "../../manifest.json";
import { buildHostPage, buildPluginBundle, coldOpen, ROOT, serve, type Bundle } from "./coldstart/fixtures.ts";

// --focus <text>: also list what the functions whose name contains <text> spend their time on (their direct callees, inclusive).
const focusAt = process.argv.indexOf("--focus");
const FOCUS = focusAt > 0 ? process.argv[focusAt + 1] : undefined;
const RUNS = 7;
const TOP = 30;
const MODULE_LINE = /^\t\/\/ ((?:node_modules|src|machines|packages)\/\S+)$/;

/** Line number (0-based) → the module that line belongs to. */
function moduleOfLine(bundle: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  bundle.split("\n").forEach((text, line) => {
    const match = MODULE_LINE.exec(text);
    if (match) starts.push({ line, module: match[1]! });
  });
  return (line) => {
    let found = "(bundle prologue)";
    for (const start of starts) {
      if (start.line > line) break;
      found = start.module;
    }
    return found;
  };
}

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  /** Samples per source line (1-based): a module's top-level code all runs in the bundle's one IIFE, so functions alone cannot tell modules apart. */
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time per node id, from the sample stream. */
function selfTimes(profile: Profile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples?.forEach((node, index) => times.set(node, (times.get(node) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000));
  return times;
}

const work = mkdtempSync(join(tmpdir(), "hfmig-profile-"));
await buildHostPage(join(work, "page"));
await buildPluginBundle(join(ROOT, "src/index.ts"), join(work, "plugin"), { minify: false });
const moduleOf = moduleOfLine(readFileSync(join(work, "plugin/index.js"), "utf8"));
const server = await serve({ page: join(work, "page"), plugin: join(work, "plugin") });
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const ours: Bundle = { pluginId: PLUGIN_ID, script: "/plugin/index.js", styles: "/plugin/styles.css" };
const browser = await launchChromium();
const perModule = new Map<string, number>();
/** Inclusive time per function of the bundle (its own time and everything it called), counted once per sample. */
const perFunction = new Map<string, number>();
/** Every sample's time given to the innermost function of our code on its stack: what our code costs, libraries included. */
const perOwnCaller = new Map<string, number>();
const OWN = /^(src|machines|packages)\//;
const focusTree = new Map<string, number>();
const FOCUS_DEPTH = 6;
try {
  await coldOpen(browser, origin, ours); // warm-up
  for (let run = 0; run < RUNS; run += 1) {
    await coldOpen(browser, origin, ours, async (cdp, open) => {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
      await cdp.send("Profiler.start");
      const timing = await open();
      const { profile } = await cdp.send("Profiler.stop");
      const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
      const add = (key: string, ms: number) => perModule.set(key, (perModule.get(key) ?? 0) + ms / RUNS);
      const parents = new Map<number, number>();
      for (const node of profile.nodes as ProfileNode[]) for (const child of node.children ?? []) parents.set(child, node.id);
      const samples = (profile as Profile).samples ?? [];
      samples.forEach((leaf, index) => {
        const ms = ((profile as Profile).timeDeltas?.[index] ?? 0) / 1000 / RUNS;
        const seen = new Set<string>();
        let own: string | undefined;
        const stack: string[] = [];
        for (let id: number | undefined = leaf; id !== undefined; id = parents.get(id)) {
          const frame = nodes.get(id)!.callFrame;
          if (!frame.url.endsWith("/plugin/index.js")) {
            stack.push(frame.functionName || (frame.url ? "(host page)" : "(native)"));
            continue;
          }
          const key = `${moduleOf(frame.lineNumber)}: ${frame.functionName || `(anonymous:${frame.lineNumber + 1})`}`;
          stack.push(key);
          if (!own && OWN.test(key)) own = key;
          if (seen.has(key)) continue;
          seen.add(key);
          perFunction.set(key, (perFunction.get(key) ?? 0) + ms);
        }
        if (FOCUS) {
          // Outermost matching frame down, as a tree of call paths.
          const from = stack.findLastIndex((key) => key.includes(FOCUS));
          if (from >= 0) {
            const path = stack.slice(Math.max(0, from - FOCUS_DEPTH), from + 1).reverse();
            for (let depth = 1; depth <= path.length; depth += 1) {
              const prefix = path.slice(0, depth).join(" > ");
              focusTree.set(prefix, (focusTree.get(prefix) ?? 0) + ms);
            }
          }
        }
        const caller = own ?? "(no function of ours on the stack)";
        perOwnCaller.set(caller, (perOwnCaller.get(caller) ?? 0) + ms);
      });
      for (const [id, ms] of selfTimes(profile as Profile)) {
        const node = nodes.get(id)!;
        const frame = node.callFrame;
        if (!frame.url.endsWith("/plugin/index.js")) {
          add(frame.url ? "(host page: React, shims)" : frame.functionName || "(native)", ms);
          continue;
        }
        const ticks = node.positionTicks ?? [];
        const all = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
        if (all === 0) add(moduleOf(frame.lineNumber), ms);
        for (const tick of ticks) add(moduleOf(tick.line - 1), (ms * tick.ticks) / all);
      }
      return timing;
    });
  }
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}

const rows = [...perModule].sort((a, b) => b[1] - a[1]);
const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
const group = (test: (key: string) => boolean) => rows.filter(([key]) => test(key)).reduce((sum, [, ms]) => sum + ms, 0);
console.log(`Self time per cold open, mean of ${RUNS} (ms): total ${total.toFixed(1)}`);
console.log(`  our code (src/, machines/, packages/): ${group((key) => /^(src|machines|packages)\//.test(key)).toFixed(1)}`);
console.log(`  bundled libraries (node_modules/): ${group((key) => key.startsWith("node_modules/")).toFixed(1)}`);
console.log(`  not JavaScript of the bundle (program, GC, host page): ${group((key) => !/^(src|machines|packages|node_modules)\//.test(key)).toFixed(1)}`);
for (const [key, ms] of rows.slice(0, TOP)) console.log(`${ms.toFixed(2).padStart(8)}  ${key}`);
console.log(`\nInclusive time per function of the bundle, mean of ${RUNS} (ms; nested calls count in each caller):`);
for (const [key, ms] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP * 2)) console.log(`${ms.toFixed(2).padStart(8)}  ${key}`);
console.log(`\nTime by the innermost function of our code on the stack (libraries it called included), mean of ${RUNS} (ms):`);
for (const [key, ms] of [...perOwnCaller].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${ms.toFixed(2).padStart(8)}  ${key}`);
if (FOCUS) {
  console.log(`\nUnder "${FOCUS}" (outermost such frame), call paths ≥ 0.2 ms, mean of ${RUNS} (ms):`);
  const children = (prefix: string) => [...focusTree].filter(([key]) => key.startsWith(`${prefix} > `) && !key.slice(prefix.length + 3).includes(" > "));
  const print = (prefix: string, ms: number, depth: number) => {
    console.log(`${ms.toFixed(2).padStart(8)}  ${"  ".repeat(depth)}${prefix.split(" > ").at(-1)}`);
    for (const [key, time] of children(prefix).sort((a, b) => b[1] - a[1])) if (time >= 0.2) print(key, time, depth + 1);
  };
  for (const [key, ms] of [...focusTree].filter(([key]) => !key.includes(" > ")).sort((a, b) => b[1] - a[1])) print(key, ms, 0);
}
