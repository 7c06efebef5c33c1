// Streamed previews: time from a partial image leaving the fake provider to the panel drawing it,
// through the dev host (native streaming, `request_progress`, the plugin event relay) and the
// production bundle in headless chromium. Needs `npm run build` and `npm run build:e2e`.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { startDevhost, type RunningDevhost } from "../dev/devhost.ts";
import { PROGRESS_POLL_MS } from "../../src/adapters/streamProgress.ts";
import { launchChromium } from "../../tests/e2e/support/chromium.ts";
import type { BenchResult } from "./types.ts";

const ROOT = join(import.meta.dirname, "../..");
const REQUESTS = 6;
const PARTIALS = 3;
const PARTIAL_DELAY_MS = 300;
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * A pass-through proxy in front of the fake provider that stamps the moment each partial image
 * event leaves it (one `partial_image_index` per partial event's data line; the fake writes each
 * event after `partial-delay`, so one event per chunk), per request in order.
 */
function stampingProxy(target: URL): Promise<{ server: Server; origin: string; stamps: number[][] }> {
  const stamps: number[][] = [];
  const server = createServer((incoming, outgoing) => {
    const mine: number[] = [];
    const upstream = request({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      if (String(answer.headers["content-type"]).includes("event-stream")) stamps.push(mine);
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on("data", (chunk: Buffer) => {
        const at = epochNow();
        for (const _ of chunk.toString("latin1").matchAll(/"partial_image_index"/g)) mine.push(at);
        outgoing.write(chunk);
      });
      answer.on("end", () => outgoing.end());
    });
    incoming.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stamps })));
}

/** One page on the dev host streaming `REQUESTS` requests; per partial, leaving the provider → in the DOM, and → drawn. */
async function measure(browser: Browser, devhost: RunningDevhost, proxy: Awaited<ReturnType<typeof stampingProxy>>, pollOnly: boolean) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
  // A host that refuses the plugin's event name (Tauri 2 refuses names with dots) leaves only the poll.
  if (pollOnly) {
    await page.addInitScript({
      content: `queueMicrotask(function wrap() {
        const internals = window.__TAURI_INTERNALS__;
        if (!internals) return void setTimeout(wrap, 0);
        const invoke = internals.invoke.bind(internals);
        internals.invoke = (cmd, args, options) => (cmd === "plugin:event|listen" ? Promise.reject("Event name must include only alphanumeric characters, \`-\`, \`/\`, \`:\` and \`_\`.") : invoke(cmd, args, options));
      });`,
    });
  }
  const baseUrl = `${proxy.origin}/fake/partial-delay=${PARTIAL_DELAY_MS}/v1`;
  await page.goto(`${devhost.origin}/`);
  await page.evaluate(
    ({ baseUrl, partials }) => localStorage.setItem("hfmig.settings.v1", JSON.stringify({ mode: "custom", baseUrl, streamPartials: true, partialImages: partials })),
    { baseUrl, partials: PARTIALS },
  );
  await page.reload();
  await page.locator(".hfmig-composer button[type=submit]").waitFor();
  // In the page: each new preview source, stamped when the DOM has it and at the next frame.
  await page.evaluate(() => {
    const seen = new Set<string>();
    const drawn: { dom: number; frame: number }[] = [];
    (globalThis as unknown as { drawn: typeof drawn }).drawn = drawn;
    new MutationObserver(() => {
      for (const image of document.querySelectorAll<HTMLImageElement>(".hfmig-request img[alt=Preview]")) {
        if (seen.has(image.src)) continue;
        seen.add(image.src);
        const dom = performance.timeOrigin + performance.now();
        requestAnimationFrame(() => drawn.push({ dom, frame: performance.timeOrigin + performance.now() }));
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
  });
  const dom: number[] = [];
  const frame: number[] = [];
  let skipped = 0;
  proxy.stamps.length = 0;
  for (let run = 0; run < REQUESTS; run += 1) {
    const before = await page.evaluate(() => (globalThis as unknown as { drawn: unknown[] }).drawn.length);
    await page.locator(".hfmig-composer textarea").fill(`a streamed benchmark image ${run}`);
    await page.locator(".hfmig-composer button[type=submit]").click();
    await page.locator(".hfmig-request[data-phase=succeeded]").nth(run).waitFor({ timeout: 30_000 });
    const drawn = await page.evaluate((from) => (globalThis as unknown as { drawn: { dom: number; frame: number }[] }).drawn.slice(from), before);
    const left = proxy.stamps[run] ?? [];
    // Each partial must show on its own to be matched; a request where two arrived together is skipped.
    if (drawn.length !== left.length) {
      skipped += 1;
      continue;
    }
    drawn.forEach((draw, index) => {
      dom.push(draw.dom - left[index]!);
      frame.push(draw.frame - left[index]!);
    });
  }
  await page.close();
  return { dom, frame, skipped };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function streamingBench(): Promise<BenchResult> {
  for (const artifact of ["dist/index.js", "native/devhost/page/dist/index.html", "native/target/debug/devhost"]) {
    if (!existsSync(join(ROOT, artifact))) throw new Error(`${artifact} is missing: run npm run build and npm run build:e2e first.`);
  }
  const home = mkdtempSync(join(tmpdir(), "hfmig-bench-stream-"));
  const devhost = await startDevhost({ rootDir: ROOT, args: ["--home", home, "--dist", join(ROOT, "dist")], onLine: () => undefined });
  const proxy = await stampingProxy(new URL(devhost.fakeBaseUrl));
  const browser = await launchChromium();
  try {
    const relayed = await measure(browser, devhost, proxy, false);
    const polled = await measure(browser, devhost, proxy, true);
    const skipped = relayed.skipped + polled.skipped;
    return {
      name: "Streamed previews",
      method: [
        `Dev host (debug build) serving the production bundle \`dist/\` in headless chromium; the custom endpoint is the embedded fake provider behind a pass-through proxy in this process, streaming ${PARTIALS} partials per image ${PARTIAL_DELAY_MS} ms apart (\`partial-delay\`), ${REQUESTS} requests one after another, twice: with the dev host relaying the plugin event, and with \`listen\` refused as a host refuses the plugin's dotted event name (only the ${PROGRESS_POLL_MS} ms \`request_progress\` poll).`,
        "The proxy stamps each partial event as it leaves the fake provider; the page stamps each new preview image when it enters the DOM (a MutationObserver) and at the next animation frame (drawn). Both clocks are `performance.timeOrigin + performance.now()` on the same machine. The path: native SSE reading → the plugin event (or the poll) → `request_progress` → the request machine → Vue.",
      ].join("\n\n"),
      figures: [
        { label: "event relayed: partial leaves the fake provider → preview in the DOM", unit: "ms", samples: relayed.dom },
        { label: "event relayed: partial leaves the fake provider → preview drawn (next frame)", unit: "ms", samples: relayed.frame },
        { label: "poll only: partial leaves the fake provider → preview drawn (next frame)", unit: "ms", samples: polled.frame },
      ],
      budgets: [
        { label: "partial → preview drawn, event relayed (median)", limit: 50, unit: "ms", value: median(relayed.frame) },
        { label: "partial → preview drawn, poll only (median)", limit: 50, unit: "ms", value: median(polled.frame) },
      ],
      notes: skipped ? [`${skipped} of ${2 * REQUESTS} requests skipped: two partials arrived in one poll, so they could not be matched one to one.`] : [],
    };
  } finally {
    await browser.close();
    proxy.server.close();
    await devhost.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
