// Images that arrive: what the page's main thread does from the moment a gateway answer's
// headers reach the page until every image of it is painted (result grid, request card, history
// row), idle and while the user keeps typing in the prompt; and the JavaScript heap across a
// session of 100 images. Through the dev host (debug build) serving the production bundle
// `dist/`, on the native path (custom endpoint) and the managed path (the host's gateway), with
// the embedded fake provider drawing photo-sized PNGs (`image-size`, `image-bytes`). Needs
// `npm run build` and `npm run build:e2e`. HFMIG_BENCH_BEFORE_DIST=<dir>[,<dir>…] also measures
// other builds of the bundle in the same run (before/after figures), named by their folders.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Browser, CDPSession, Page } from "playwright-core";
import { startDevhost, type RunningDevhost } from "../../dev/devhost.ts";
import { launchChromium } from "../../../tests/e2e/support/chromium.ts";
import type { BenchResult, Budget, Figure } from "../types.ts";
import { mainThreadBetween, type MainThreadWindow } from "./trace.ts";

const ROOT = join(import.meta.dirname, "../../..");
const RUNS = Number(process.env.HFMIG_BENCH_ARRIVAL_RUNS ?? 4);
const SESSION_REQUESTS = Number(process.env.HFMIG_BENCH_ARRIVAL_SESSION ?? 25);
const FOUR = "image-size=1536x1024,image-bytes=3145728";
const UHD = "image-size=3840x2160,image-bytes=10485760";

interface Scenario {
  key: string;
  label: string;
  mode: "custom" | "cloud";
  /** Fake-provider options of the custom endpoint (the managed path's upstream carries FOUR). */
  options: string;
  n: number;
  model: string;
  size: string;
}

const SCENARIOS: Scenario[] = [
  { key: "native", label: "native path, 4 × 1536×1024 PNG (3 MB each)", mode: "custom", options: FOUR, n: 4, model: "gpt-image-1", size: "1536x1024" },
  { key: "managed", label: "managed path, 4 × 1536×1024 PNG (3 MB each)", mode: "cloud", options: FOUR, n: 4, model: "gpt-image-1", size: "1536x1024" },
  { key: "uhd", label: "native path, 1 × 3840×2160 PNG (10 MB)", mode: "custom", options: UHD, n: 1, model: "gpt-image-2", size: "3840x2160" },
];

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// In the page before any of its scripts: the answer's arrival is marked when the response to the
// generate call (native command or host gateway) has its headers; its body is read after that.
const MARK_ARRIVAL = `
globalThis.__name = (fn) => fn;
const original = globalThis.fetch.bind(globalThis);
globalThis.fetch = async (input, init) => {
  const response = await original(input, init);
  // The native command goes as POST /invoke/plugin_invoke with its name in the body.
  const path = String(typeof input === "string" ? input : input.url);
  const body = typeof init?.body === "string" ? init.body.slice(0, 300) : "";
  if (path.endsWith("/host/gateway/generate") || /_generate_images"/.test(body)) performance.mark("hfmig-arrival");
  return response;
};
globalThis.__hfmigEvents = [];
new PerformanceObserver((list) => { for (const entry of list.getEntries()) globalThis.__hfmigEvents.push({ start: entry.startTime, duration: entry.duration, name: entry.name }); })
  .observe({ type: "event", durationThreshold: 16, buffered: true });
`;

/**
 * In the page: waits until the newest result group shows `n` images and no placeholder, the
 * request cards hold `cardImages` images and the newest history row its picture, then until each
 * of those images is decoded, then two frames; marks `hfmig-painted`. Resolves with the longest
 * input event (keystroke → next paint) seen after the arrival, in ms.
 */
const waitPainted = (page: Page, n: number, cardImages: number) =>
  page.evaluate(
    async ({ n, cardImages }) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const shown = (image: HTMLImageElement) => image.getAttribute("src");
      for (;;) {
        const group = document.querySelector(".hfmig-result-group");
        const grid = group ? [...group.querySelectorAll<HTMLImageElement>(".hfmig-gallery-grid img")].filter(shown) : [];
        const cards = [...document.querySelectorAll<HTMLImageElement>(".hfmig-request .hfmig-thumbs img")].filter(shown);
        const row = [...document.querySelectorAll<HTMLImageElement>(".hfmig-history-row img")].filter(shown).slice(0, 1);
        if (grid.length === n && !group!.querySelector(".hfmig-placeholder") && cards.length >= cardImages && row.length === 1) {
          await Promise.all([...grid, ...cards.slice(0, n), ...row].map((image) => image.decode().catch(() => undefined)));
          break;
        }
        await frame();
      }
      await frame();
      await frame();
      performance.mark("hfmig-painted");
      const arrival = performance.getEntriesByName("hfmig-arrival").at(-1)!.startTime;
      const events = (globalThis as unknown as { __hfmigEvents: { start: number; duration: number }[] }).__hfmigEvents;
      return Math.max(0, ...events.filter((event) => event.start >= arrival).map((event) => event.duration));
    },
    { n, cardImages },
  );

const heapMb = async (cdp: CDPSession) => {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize / 2 ** 20;
};

interface Run extends MainThreadWindow {
  inputMs: number;
  heapMb: number;
}

async function openPanel(browser: Browser, devhost: RunningDevhost, fakeOrigin: string, scenario: Scenario) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
  await page.addInitScript({ content: MARK_ARRIVAL });
  await page.goto(`${devhost.origin}/`);
  await page.evaluate(
    ({ settings, draft }) => {
      indexedDB.deleteDatabase("hfmig-history");
      localStorage.setItem("hfmig.settings.v1", JSON.stringify(settings));
      localStorage.setItem("hfmig.draft.v1", JSON.stringify(draft));
    },
    {
      settings: { mode: scenario.mode, baseUrl: `${fakeOrigin}/fake/${scenario.options}/v1` },
      draft: { mode: "generate", prompt: "arrival", n: scenario.n, model: scenario.model, size: scenario.size },
    },
  );
  await page.reload();
  await page.locator(".hfmig-composer button[type=submit]").waitFor();
  const cdp = await page.context().newCDPSession(page);
  return { page, cdp };
}

/** One request: prompt, Generate, then (typing) a keystroke every 30 ms until its images are painted. */
async function oneRequest(page: Page, scenario: Scenario, index: number, typing: boolean) {
  const prompt = page.locator(".hfmig-composer textarea");
  await prompt.fill(`arrival ${scenario.key} ${index} ${Date.now()}`);
  await page.locator(".hfmig-composer button[type=submit]").click();
  let painted = false;
  const typist = (async () => {
    if (!typing) return;
    await prompt.focus();
    while (!painted) {
      await page.keyboard.type("a", { delay: 0 });
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();
  try {
    return await waitPainted(page, scenario.n, scenario.n * (index + 1));
  } finally {
    painted = true;
    await typist;
  }
}

async function measureScenario(browser: Browser, devhost: RunningDevhost, fakeOrigin: string, scenario: Scenario, typing: boolean): Promise<Run[]> {
  const { page, cdp } = await openPanel(browser, devhost, fakeOrigin, scenario);
  const runs: Run[] = [];
  try {
    for (let index = 0; index < RUNS; index += 1) {
      await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "v8"] });
      let trace: Buffer;
      let inputMs: number;
      try {
        inputMs = await oneRequest(page, scenario, index, typing);
      } finally {
        trace = await browser.stopTracing();
      }
      runs.push({ ...mainThreadBetween(trace, "hfmig-arrival", "hfmig-painted"), inputMs, heapMb: await heapMb(cdp) });
    }
  } finally {
    await page.close();
  }
  return runs;
}

/** The heap after GC once 12 and once 100 images of the native scenario were painted in one session. */
async function measureSession(browser: Browser, devhost: RunningDevhost, fakeOrigin: string) {
  const scenario = SCENARIOS[0]!;
  const { page, cdp } = await openPanel(browser, devhost, fakeOrigin, scenario);
  try {
    const heap: number[] = [];
    for (let index = 0; index < SESSION_REQUESTS; index += 1) {
      await oneRequest(page, scenario, index, false);
      if (index === 2 || index === SESSION_REQUESTS - 1) heap.push(await heapMb(cdp));
    }
    return { after12: heap[0]!, after100: heap[1]! };
  } finally {
    await page.close();
  }
}

interface BuildFigures {
  runs: Map<string, Run[]>;
  session: { after12: number; after100: number };
}

async function measureBuild(browser: Browser, dist: string): Promise<BuildFigures> {
  const home = mkdtempSync(join(tmpdir(), "hfmig-bench-arrival-"));
  const fakePort = await freePort();
  const fakeOrigin = `http://127.0.0.1:${fakePort}`;
  const devhost = await startDevhost({
    rootDir: ROOT,
    args: ["--home", home, "--dist", dist, "--fake-port", String(fakePort), "--upstream", `${fakeOrigin}/fake/${FOUR}/v1`],
    onLine: () => undefined,
  });
  try {
    const runs = new Map<string, Run[]>();
    for (const scenario of SCENARIOS) {
      runs.set(`${scenario.key}:idle`, await measureScenario(browser, devhost, fakeOrigin, scenario, false));
      runs.set(`${scenario.key}:typing`, await measureScenario(browser, devhost, fakeOrigin, scenario, true));
    }
    return { runs, session: await measureSession(browser, devhost, fakeOrigin) };
  } finally {
    await devhost.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function figuresOf(build: BuildFigures, prefix: string): Figure[] {
  const figures: Figure[] = [];
  for (const scenario of SCENARIOS) {
    for (const typing of [false, true]) {
      const runs = build.runs.get(`${scenario.key}:${typing ? "typing" : "idle"}`)!;
      const label = `${prefix}${scenario.label}${typing ? ", typing" : ""}`;
      figures.push(
        { label: `${label}: longest main-thread task`, unit: "ms", samples: runs.map((run) => run.longestTaskMs) },
        { label: `${label}: main thread busy, arrival → painted`, unit: "ms", samples: runs.map((run) => run.busyMs) },
        { label: `${label}: arrival → painted`, unit: "ms", samples: runs.map((run) => run.windowMs) },
        { label: `${label}: heap after GC once painted`, unit: "MB", samples: runs.map((run) => run.heapMb) },
      );
      if (typing) figures.push({ label: `${label}: longest keystroke → next paint`, unit: "ms", samples: runs.map((run) => run.inputMs) });
    }
  }
  figures.push(
    { label: `${prefix}session: heap after GC, 12 images`, unit: "MB", samples: [build.session.after12] },
    { label: `${prefix}session: heap after GC, 100 images`, unit: "MB", samples: [build.session.after100] },
  );
  return figures;
}

/** The long tasks of a build, named by what ran in them, for the account of where time goes. */
const longTasks = (build: BuildFigures) =>
  [...build.runs.entries()].flatMap(([key, runs]) => runs.flatMap((run) => run.tasks.filter((task) => task.ms >= 50).map((task) => `${key} ${task.ms.toFixed(0)} ms (${task.what})`)));

export async function arrivalBench(): Promise<BenchResult> {
  for (const artifact of ["dist/index.js", "native/devhost/page/dist/index.html", "native/target/debug/devhost"]) {
    if (!existsSync(join(ROOT, artifact))) throw new Error(`${artifact} is missing: run npm run build and npm run build:e2e first.`);
  }
  const beforeDists = (process.env.HFMIG_BENCH_BEFORE_DIST ?? "").split(",").filter(Boolean);
  const browser = await launchChromium();
  try {
    const befores: [string, BuildFigures][] = [];
    for (const dist of beforeDists) befores.push([basename(dist), await measureBuild(browser, dist)]);
    const after = await measureBuild(browser, join(ROOT, "dist"));
    const worst = (key: string) => Math.max(...after.runs.get(key)!.map((run) => run.longestTaskMs));
    const budgets: Budget[] = SCENARIOS.flatMap((scenario) => [
      { label: `${scenario.label}: longest main-thread task, arrival → painted (worst run)`, limit: 50, unit: "ms", value: worst(`${scenario.key}:idle`) },
      { label: `${scenario.label}, typing: longest main-thread task (worst run)`, limit: 50, unit: "ms", value: worst(`${scenario.key}:typing`) },
    ]);
    budgets.push({ label: "heap after 100 images / after 12, one session", limit: 1.25, unit: "×", value: after.session.after100 / after.session.after12 });
    const medianOf = (build: BuildFigures, key: string, pick: (run: Run) => number) => median(build.runs.get(key)!.map(pick)).toFixed(0);
    const sideBySide = (name: string, build: BuildFigures) =>
      `**${name}**, same run: ${SCENARIOS.map((scenario) => `${scenario.label}: longest task median ${medianOf(build, `${scenario.key}:idle`, (run) => run.longestTaskMs)} ms (typing ${medianOf(build, `${scenario.key}:typing`, (run) => run.longestTaskMs)} ms), busy ${medianOf(build, `${scenario.key}:idle`, (run) => run.busyMs)} ms, keystroke → paint ${medianOf(build, `${scenario.key}:typing`, (run) => run.inputMs)} ms`).join("; ")}; session heap ${build.session.after12.toFixed(1)} MB after 12 images, ${build.session.after100.toFixed(1)} MB after 100. Long tasks: ${longTasks(build).join("; ") || "none"}.`;
    const notes = [sideBySide("This build", after), ...befores.map(([name, build]) => sideBySide(`Build \`${name}\``, build))];
    return {
      name: "Images that arrive",
      method: [
        `Dev host (debug build) serving the production bundle \`dist/\` in headless chromium (1280×2400, so every result is on screen), a fresh page and history per scenario, ${RUNS} requests one after another per scenario. The embedded fake provider draws real PNGs of the asked pixel size (\`image-size\`) with noise sized so the file is about \`image-bytes\`: 4 × 1536×1024 at 3 MB (a 12 MB answer of base64 in JSON) through the native path (custom endpoint: \`generate_images\` over IPC) and through the managed path (the host's gateway, \`/host/gateway/generate\`, upstream the same fake), and 1 × 3840×2160 at 10 MB through the native path.`,
        "**Arrival** = the response to the generate call has its headers (a `fetch` wrapper in the page marks it; the host's IPC then reads and parses the JSON: its parse is in the window, as in HaloForge). **Painted** = the newest result group shows every image and no placeholder, the request cards and the newest history row show theirs, each of those `<img>` is decoded (`img.decode()`), then two frames. Between the two marks a Chromium trace gives every main-thread task (`RunTask` on `CrRendererMain`): the **longest task** and the **busy time** (tasks clipped to the window). **Heap** = V8's used heap after a forced GC (CDP), once painted. **Typing**: the same while a keystroke goes to the prompt every 30 ms (Playwright's keyboard, real input events) from Generate until painted; the Event Timing API gives the **longest keystroke → next paint**. **Session**: one page, 25 requests of the native scenario (100 images); the heap after 3 requests (12 images) and after 25.",
      ].join("\n\n"),
      figures: [...befores.flatMap(([name, build]) => figuresOf(build, `${name}: `)), ...figuresOf(after, "")],
      budgets,
      notes,
    };
  } finally {
    await browser.close();
  }
}
