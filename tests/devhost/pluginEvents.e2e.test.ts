// The dev page's Tauri shim delivers the plugin's events: a listener registered the way
// `listen()` of @tauri-apps/api registers one (`plugin:event|listen` with a transformCallback
// handler) gets each `plugin:<id>:request_progress` event of a streaming request, as Tauri's
// `{ event, id, payload }`, before the request's final answer; after unlisten, none (while a
// second listener gets them).
// Needs `npm run build:e2e`.
import { expect, it } from "vitest";
import { useHarness } from "../e2e/support/harness.ts";

const harness = useHarness();
const PLUGIN_ID = "dev.haloforge.managed-image-gateway";
const WIRE = `plugin:${PLUGIN_ID}:request_progress`;
const GENERATE = `plugin_${PLUGIN_ID.replace(/[.-]/g, "_")}_generate_images`;

interface Internals {
  invoke(cmd: string, args?: Record<string, unknown>): Promise<unknown>;
  transformCallback(callback: (data: unknown) => void): number;
}

it("relays the plugin's partial-image events to listen callbacks before the final answer", async () => {
  const page = await harness().browser.newPage();
  await page.goto(`${harness().devhost.origin}/`);
  const baseUrl = harness().fakeUrl("partial-delay=300");
  const run = await page.evaluate(
    async ({ wire, generate, baseUrl }) => {
      const internals = (window as unknown as { __TAURI_INTERNALS__: Internals }).__TAURI_INTERNALS__;
      const received: { event: unknown; at: number }[] = [];
      const handler = internals.transformCallback((event) => received.push({ event, at: performance.now() }));
      const eventId = (await internals.invoke("plugin:event|listen", { event: wire, target: { kind: "Any" }, handler })) as number;
      const stream = async (requestId: string) =>
        internals.invoke("plugin_invoke", {
          args: { wire_name: generate, args: { requestId, endpoint: { profileId: "default", baseUrl }, request: { model: "gpt-image-1", prompt: "p" }, stream: true, partialImages: 2 } },
        });
      const answer = (await stream("page-ev-1")) as { ok: boolean };
      const answeredAt = performance.now();
      await internals.invoke("plugin:event|unlisten", { event: wire, eventId });
      const before = received.length;
      // A second listener witnesses the next request's two events: once it has them, the relay has
      // delivered them to every listener it still has, so the first one's count is final.
      let witnessed = 0;
      let acknowledge = () => undefined as void;
      const delivered = new Promise<void>((resolve) => (acknowledge = resolve));
      const witness = internals.transformCallback((event) => {
        if ((event as { payload: { requestId: string } }).payload.requestId === "page-ev-2" && ++witnessed === 2) acknowledge();
      });
      await internals.invoke("plugin:event|listen", { event: wire, target: { kind: "Any" }, handler: witness });
      await stream("page-ev-2");
      await delivered;
      return { answer, answeredAt, received, afterUnlisten: received.length - before, witnessed, eventId };
    },
    { wire: WIRE, generate: GENERATE, baseUrl },
  );
  expect(run.answer.ok).toBe(true);
  expect(run.received.map((r) => r.event)).toEqual([
    { event: WIRE, id: run.eventId, payload: { requestId: "page-ev-1", seq: 1, imageIndex: 0, partialIndex: 0 } },
    { event: WIRE, id: run.eventId, payload: { requestId: "page-ev-1", seq: 2, imageIndex: 0, partialIndex: 1 } },
  ]);
  for (const { at } of run.received) expect(at).toBeLessThan(run.answeredAt);
  expect(run.witnessed).toBe(2);
  expect(run.afterUnlisten).toBe(0);
  await page.close();
}, 60_000);
