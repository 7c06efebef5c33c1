// What the cold-start bench and its profiler share: the host-shaped page, the bundles, a static
// server and one cold open in a fresh browser context.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import type { Browser, CDPSession } from "playwright-core";
import { build } from "vite";
import type { ColdStartTiming } from "./hostPage.ts";

export const ROOT = join(import.meta.dirname, "../../..");
const COLD = import.meta.dirname;
/** The production bundle has no data-testid: find "usable" by role and class, as a user-facing build renders it. */
/** More idle periods than the panel's after-paint parts (AFTER_PAINT), so all of them count in the heap. */
const IDLE_PERIODS_BEFORE_HEAP = 16;
const SELECTORS = { generate: ".hfmig-composer button[type=submit]", gatewayLabel: ".hfmig-gateway-status strong" };

export interface Bundle {
  pluginId: string;
  script: string;
  styles: string;
}
export interface Sample extends ColdStartTiming {
  heapMb: number;
}

/** The host-shaped page, React bundled into it as the host ships it. */
export async function buildHostPage(outDir: string): Promise<void> {
  await build({ configFile: false, root: COLD, base: "./", logLevel: "silent", build: { outDir, emptyOutDir: true, rollupOptions: { input: join(COLD, "hostPage.html") } } });
}

/** Builds `entry` as the host loads a plugin: our Vite config, production mode, one IIFE. */
export async function buildPluginBundle(entry: string, outDir: string, options: { minify?: boolean } = {}): Promise<void> {
  await build({
    configFile: join(ROOT, "vite.config.ts"),
    mode: "production",
    logLevel: "silent",
    build: { outDir, emptyOutDir: true, ...(options.minify === false ? { minify: false } : {}), lib: { entry, formats: ["iife"], name: "ColdStartBundle", fileName: () => "index.js", cssFileName: "styles" } },
  });
}

/** The framework floor; it must hold none of our panel's code (the adapter module imports none). */
export async function buildFloor(outDir: string): Promise<void> {
  await buildPluginBundle(join(COLD, "floor/index.ts"), outDir);
  // A sentence of the panel's core (machines/labels.ts): its presence means our modules came along.
  if (readFileSync(join(outDir, "index.js"), "utf8").includes("Auto chose HaloForge")) throw new Error("the floor bundle holds our panel's code");
}

// Every library the floor bundles as well: left out of the carried build, so only our code remains.
const FLOOR_LIBRARIES = [/^(vue|pinia|xstate|@xstate\/vue|zod(\/.*)?|lucide|@vue\/.*|@haloforge\/plugin-sdk|@tauri-apps\/.*)$/];

/**
 * The floor plus our own code (the panel's bundle without the libraries) inside a function that is
 * never called: what a bundle pays just to carry our code, before any of it runs. No bundle that
 * holds this panel can evaluate or open faster than this one.
 */
export async function buildCarried(floorDir: string, outDir: string): Promise<void> {
  const ours = mkdtempSync(join(tmpdir(), "hfmig-carried-"));
  try {
    await build({
      configFile: join(ROOT, "vite.config.ts"),
      mode: "production",
      logLevel: "silent",
      build: {
        outDir: ours,
        emptyOutDir: true,
        lib: { entry: join(ROOT, "src/index.ts"), formats: ["iife"], name: "CarriedPanel", fileName: () => "index.js", cssFileName: "styles" },
        rollupOptions: { external: FLOOR_LIBRARIES, output: { globals: (id: string) => `__carried_${id.replace(/\W/g, "_")}` } },
      },
    });
    mkdirSync(outDir, { recursive: true });
    const floor = readFileSync(join(floorDir, "index.js"), "utf8");
    writeFileSync(join(outDir, "index.js"), `${floor}\nfunction __carriedNeverRun() {\n${readFileSync(join(ours, "index.js"), "utf8")}\n}\n`);
  } finally {
    rmSync(ours, { recursive: true, force: true });
  }
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/** Serves /page, /plugin (our production dist/) and /floor from disk; a missing stylesheet is empty. */
export function serve(folders: Record<string, string>): Promise<Server> {
  const server = createServer((request, response) => {
    const [, mount, ...rest] = (request.url ?? "/").split("?")[0]!.split("/");
    const folder = folders[mount ?? ""];
    const file = folder ? normalize(join(folder, ...rest)) : "";
    if (!folder || !file.startsWith(folder + sep)) return void response.writeHead(404).end();
    const type = TYPES[extname(file)] ?? "application/octet-stream";
    if (!existsSync(file)) return void response.writeHead(type === "text/css" ? 200 : 404, { "content-type": type, "cache-control": "no-store" }).end();
    response.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Opens `bundle` once in a fresh context; `during` runs around the open (e.g. a CPU profile). */
export async function coldOpen(browser: Browser, origin: string, bundle: Bundle, during?: (cdp: CDPSession, open: () => Promise<ColdStartTiming>) => Promise<ColdStartTiming>): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    const page = await context.newPage();
    // tsx compiles with esbuild's keepNames: functions passed to page.evaluate call __name().
    await page.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
    await page.goto(`${origin}/page/hostPage.html`);
    await page.waitForFunction(() => "__coldStart" in window);
    const cdp = await context.newCDPSession(page);
    const open = () =>
      page.evaluate(
        ({ bundle, selectors }) =>
          (window as unknown as { __coldStart: { open: (...args: unknown[]) => Promise<ColdStartTiming> } }).__coldStart.open(bundle.pluginId, bundle.script, bundle.styles, selectors),
        { bundle, selectors: SELECTORS },
      );
    const timing = during ? await during(cdp, open) : await open();
    // The heap once the work deferred past the first paint has run too (one part per idle period).
    await page.evaluate((periods) => new Promise<void>((resolve) => {
      let left = periods;
      const next = () => (--left <= 0 ? resolve() : requestIdleCallback(next));
      requestIdleCallback(next);
    }), IDLE_PERIODS_BEFORE_HEAP);
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    return { ...timing, heapMb: usedSize / 2 ** 20 };
  } finally {
    await context.close();
  }
}

