// Streamed partials on the request machine's paths: before success (the final image replaces the
import { validateRequestInput } from "../../machines/rules/requestInput.schema.ts";
// preview), before failure (the preview stays, still a preview), and around a cancel (the last
// preview stays, marked cancelled; one arriving after the cancel changes nothing).
import { getSimplePaths, type StatePath } from "@xstate/graph";
import { createActor, fromPromise, getNextSnapshot, type EventFromLogic, type SnapshotFrom } from "xstate";
import type { Resolution } from "../../machines/rules/gatewayResolution.ts";
import { describe, expect, it } from "vitest";
import { FINAL_PHASES, phaseOf, requestMachine, type RequestMachine } from "../../machines/request.machine.ts";
import { selectRequestView } from "../../machines/views.ts";
import { CUSTOM, createBoundary, failure, gatewayResolved, image, startRequest, validGenerate } from "./support.ts";

const partial = (seq: number) => ({ type: "gateway.partial" as const, seq, src: image(100 + seq).src });
const usage = { input_tokens: 50, output_tokens: 4160, total_tokens: 4210, input_tokens_details: { text_tokens: 40, image_tokens: 10 } };

async function streaming(n = 1) {
  const boundary = createBoundary();
  const actor = startRequest(boundary, validGenerate({ n }));
  actor.send({ type: "request.start" });
  await gatewayResolved(actor);
  const view = () => selectRequestView(actor.getSnapshot(), boundary.now());
  return { actor, boundary, view };
}

describe("streamed partials on the request's paths", () => {
  it("shows the newest partial until the final image replaces it, then keeps the usage and logs its counts", async () => {
    const { actor, boundary, view } = await streaming();
    boundary.answer("req-1", partial(1));
    boundary.answer("req-1", partial(3));
    // The poll and the plugin event can deliver out of order: an older partial never wins.
    boundary.answer("req-1", partial(2));
    expect(view().preview).toEqual({ src: image(103).src, cancelled: false });
    expect(view().outputs).toEqual([]);
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.done", usage, streamFallback: "refused" });
    expect(phaseOf(actor.getSnapshot())).toBe("succeeded");
    expect(view().preview).toBeUndefined();
    expect(view().outputs).toEqual([image(1)]);
    expect(view().usage).toEqual(usage);
    expect(view().streamNotice).toBe(true);
    const succeeded = boundary.logs.find((log) => log.event === "succeeded")!;
    expect(succeeded).toMatchObject({ inputTokens: 50, outputTokens: 4160, totalTokens: 4210 });
    expect(JSON.stringify(boundary.logs)).not.toMatch(/iVBOR|cost|price/i);
  });

  it("keeps the preview, marked incomplete, and says the stream broke after it when the stream is cut", async () => {
    const { actor, view, boundary } = await streaming();
    boundary.answer("req-1", partial(1));
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "network", message: "The stream ended before the final image arrived", reason: "stream_cut" }) });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(view().preview).toEqual({ src: image(101).src, cancelled: false, incomplete: true });
    expect(view().error).toMatchObject({ sentence: { key: "stream_cutAfterPreview" }, hint: "stream_cut", mayHaveBeenBilled: true });
    // Our own sentence is never quoted as if the provider had said it.
    expect(view().error?.detail).toBeUndefined();
  });

  it("keeps the last preview marked cancelled after a cancel, and ignores partials that arrive later", async () => {
    const { actor, view, boundary } = await streaming();
    boundary.answer("req-1", partial(1));
    actor.send({ type: "user.cancel" });
    expect(phaseOf(actor.getSnapshot())).toBe("cancelled");
    expect(boundary.cancels).toEqual([{ requestId: "req-1", kind: "custom" }]);
    boundary.answer("req-1", partial(2));
    expect(view().preview).toEqual({ src: image(101).src, cancelled: true });
  });

  it("drops a partial of an earlier attempt when a retry starts, and says nothing for a remembered fallback", async () => {
    const { actor, view, boundary } = await streaming();
    boundary.answer("req-1", partial(1));
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "server_error", status: 503, mayHaveRun: false }) });
    expect(phaseOf(actor.getSnapshot())).toBe("waitingRetry");
    boundary.clock.increment(actor.getSnapshot().context.nextAttemptAt! - boundary.now());
    await gatewayResolved(actor);
    expect(phaseOf(actor.getSnapshot())).toBe("requesting");
    expect(view().preview).toBeUndefined();
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.done", streamFallback: "remembered" });
    expect(view().streamNotice).toBeUndefined();
  });

  it("shows a partial in the result group's first placeholder, and a preview without outputs after a cancel", async () => {
    const { selectResultGroups } = await import("../../machines/views.ts");
    const { actor, view, boundary } = await streaming(2);
    expect(selectResultGroups([view()], [])[0]).toMatchObject({ placeholders: [{ index: 1, total: 2 }, { index: 2, total: 2 }], images: [] });
    boundary.answer("req-1", partial(1));
    // The preview holds image 1's place; the placeholder left is image 2 of the 2 asked for.
    expect(selectResultGroups([view()], [])[0]).toMatchObject({ placeholders: [{ index: 2, total: 2 }], preview: { cancelled: false }, images: [] });
    actor.send({ type: "user.cancel" });
    expect(selectResultGroups([view()], [])[0]).toMatchObject({ placeholders: [], preview: { cancelled: true }, images: [] });
  });
});

// Model-based: every simple path of a streaming custom request over these events, replayed on a
// real actor. (A graph of their own: in requestPaths.test.ts's graph they would multiply its paths.)
type Snapshot = SnapshotFrom<RequestMachine>;
type AnyEvent = EventFromLogic<RequestMachine> | { type: "xstate.done.actor.resolveGateway"; output: Resolution };
const EVENTS = [
  { type: "request.start" },
  { type: "xstate.done.actor.resolveGateway", output: CUSTOM },
  partial(1),
  partial(2),
  { type: "gateway.output", output: image(1) },
  { type: "gateway.done" },
  { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) },
  { type: "user.cancel" },
] as AnyEvent[];
// Outputs beyond n change nothing (and would make the graph endless).
const key = (snapshot: Snapshot) => JSON.stringify([snapshot.value, snapshot.context.preview?.seq ?? 0, Math.min(snapshot.context.outputs.length, 1)]);
const INPUT = { id: "req-1", input: validateRequestInput(validGenerate({ n: 1 })), settings: { timeoutMs: 10_000, maxRetries: 0 }, random: () => 0.5 };
const paths = getSimplePaths(requestMachine(), {
  events: EVENTS as EventFromLogic<RequestMachine>[],
  input: { ...INPUT, now: () => 0 },
  serializeState: key,
}) as StatePath<Snapshot, AnyEvent>[];

describe("streamed partials on every simple path (@xstate/graph)", () => {
  it("covers partials before success, before failure and after a cancel", () => {
    const ends = (phase: string, later: string) =>
      paths.some((path) => {
        const types: string[] = path.steps.map((step) => step.event.type);
        return phaseOf(path.state) === phase && types.includes("gateway.partial") && types.indexOf("gateway.partial") < types.lastIndexOf(later);
      });
    expect(ends("succeeded", "gateway.done")).toBe(true);
    expect(ends("failed", "gateway.failed")).toBe(true);
    expect(ends("cancelled", "user.cancel")).toBe(true);
  });

  it("shows the newest partial as a preview until the image came, marks it after a cancel, and takes none after the end", async () => {
    for (const path of paths) {
      const boundary = createBoundary();
      // The gateway resolves when the path says so.
      let resolve: (resolution: Resolution) => void = () => undefined;
      const machine = boundary.request.provide({ actors: { resolveGateway: fromPromise<Resolution, { requestId: string }>(() => new Promise((done) => (resolve = done))) } });
      const actor = createActor(machine, { input: { ...INPUT, now: boundary.now }, clock: boundary.clock }).start();
      let newest = 0;
      for (const { event } of path.steps) {
        if (event.type === "gateway.partial" && phaseOf(actor.getSnapshot()) === "requesting") newest = Math.max(newest, event.seq);
        if (event.type === "xstate.done.actor.resolveGateway") {
          resolve(CUSTOM);
          await gatewayResolved(actor);
        } else if (event.type === "request.start" || event.type === "user.cancel") actor.send(event as EventFromLogic<RequestMachine>);
        else if (event.type.startsWith("gateway.")) boundary.answer("req-1", event as never);
      }
      const snapshot = actor.getSnapshot();
      expect(key(snapshot)).toBe(key(path.state));
      const phase = phaseOf(snapshot);
      const view = selectRequestView(snapshot, 0);
      const incomplete = FINAL_PHASES.includes(phase) && phase !== "cancelled" ? { incomplete: true } : {};
      expect(view.preview).toEqual(newest > 0 && snapshot.context.outputs.length === 0 ? { src: image(100 + newest).src, cancelled: phase === "cancelled", ...incomplete } : undefined);
      // A preview is never a result, and a final state takes no partial.
      expect(view.outputs.map((output) => output.src)).not.toContain(image(100 + newest).src);
      if (FINAL_PHASES.includes(phase)) expect(getNextSnapshot(requestMachine(), snapshot, partial(9)).context.preview).toEqual(snapshot.context.preview);
      actor.stop();
    }
    expect(paths.length).toBeGreaterThan(20);
  });
});
