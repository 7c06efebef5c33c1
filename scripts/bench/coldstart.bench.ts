// Cold start as a user meets it: the host evaluates our index.js and renders the panel. Measured in
// headless chromium in a host-shaped static page (scripts/bench/coldstart/), each run in a fresh
// browser context, alternating with a framework-floor bundle built here from the same libraries.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../../tests/e2e/support/chromium.ts";
import { id as PLUGIN_ID } from "../../manifest.json";
import { buildFloor, buildHostPage, coldOpen, ROOT, serve, type Bundle, type Sample } from "./coldstart/fixtures.ts";
import { FLOOR_PLUGIN_ID } from "./coldstart/floorId.ts";
import { summarize, type BenchResult } from "./types.ts";

const WARM_UP = 3;
const RUNS = 21;

export async function coldStartBench(): Promise<BenchResult> {
  // Always the production build: dist/ may hold a development build from `npm run build:dev`.
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  const work = mkdtempSync(join(tmpdir(), "hfmig-coldstart-"));
  await buildHostPage(join(work, "page"));
  await buildFloor(join(work, "floor"));
  const server = await serve({ page: join(work, "page"), plugin: join(ROOT, "dist"), floor: join(work, "floor") });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ours: Bundle = { pluginId: PLUGIN_ID, script: "/plugin/index.js", styles: "/plugin/styles.css" };
  const floor: Bundle = { pluginId: FLOOR_PLUGIN_ID, script: "/floor/index.js", styles: "/floor/styles.css" };
  const browser = await launchChromium();
  const samples = { ours: [] as Sample[], floor: [] as Sample[] };
  try {
    for (let run = 0; run < WARM_UP + RUNS; run += 1) {
      // Alternate which goes first so neither always runs on the warmer browser.
      const order = run % 2 === 0 ? (["ours", "floor"] as const) : (["floor", "ours"] as const);
      for (const which of order) {
        const sample = await coldOpen(browser, origin, which === "ours" ? ours : floor);
        if (run >= WARM_UP) samples[which].push(sample);
      }
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(work, { recursive: true, force: true });
  }

  const median = (list: Sample[], key: keyof Sample) => summarize(list.map((sample) => sample[key])).median;
  const ratio = (key: keyof Sample) => median(samples.ours, key) / median(samples.floor, key);
  const figure = (label: string, unit: string, key: keyof Sample) => [
    { label: `ours: ${label}`, unit, samples: samples.ours.map((sample) => sample[key]) },
    { label: `floor: ${label}`, unit, samples: samples.floor.map((sample) => sample[key]) },
  ];
  return {
    name: "Cold start (first open of the module)",
    method: [
      `Headless chromium, a static host-shaped page (\`scripts/bench/coldstart/hostPage.ts\`: React globals, the plugin registry, Tauri's internals answered in the page, a signed-in managed bridge). Each run is a fresh browser context: the page inserts \`<link rel=stylesheet>\` and \`<script src=index.js>\`, the bundle registers (**load** = insertion → \`register()\`; **evaluate** = the script's last byte received, from Resource Timing → \`register()\`: parse, compile, run), the page renders the registered React \`panel\` as the host does (**mount** = render → Generate enabled and the gateway label shown, checked on every DOM mutation), then two frames (**cold start** = insertion → usable and painted). **Heap** = V8's used heap after a forced GC (CDP), the page's own React included.`,
      `${WARM_UP} warm-up rounds, then ${RUNS} rounds, each opening our production bundle (\`dist/\`) and the **framework floor** (\`scripts/bench/coldstart/floor/\`, built in the same run with our Vite config: Vue, Pinia, XState, zod/mini and the SDK, one store, one machine, mounted through the same React adapter \`src/react/VuePanelHost.ts\`), alternating which goes first. Budgets are ratios of medians within this run.`,
    ].join("\n\n"),
    figures: [
      ...figure("cold start (insertion → usable, two frames)", "ms", "coldStartMs"),
      ...figure("load (insertion → register)", "ms", "loadMs"),
      ...figure("evaluate (last byte → register)", "ms", "evaluateMs"),
      ...figure("mount (render → usable)", "ms", "mountMs"),
      ...figure("heap after mount", "MB", "heapMb"),
    ],
    budgets: [
      { label: "cold start, ours / floor (median)", limit: 1.15, unit: "×", value: ratio("coldStartMs") },
      { label: "evaluate, ours / floor (median)", limit: 1.2, unit: "×", value: ratio("evaluateMs") },
      { label: "heap after mount, ours / floor (median)", limit: 1.25, unit: "×", value: ratio("heapMb") },
    ],
  };
}
