// Streamed partials on the request machine's paths: before success (the final image replaces the
// preview), before failure (the preview stays, still a preview), and around a cancel (the last
// preview stays, marked cancelled; one arriving after the cancel changes nothing).
import { describe, expect, it } from "vitest";
import { phaseOf } from "../../machines/request.machine.ts";
import { selectRequestView } from "../../machines/views.ts";
import { createBoundary, failure, flush, image, startRequest, validGenerate } from "./support.ts";

const partial = (seq: number) => ({ type: "gateway.partial" as const, seq, src: image(100 + seq).src });
const usage = { input_tokens: 50, output_tokens: 4160, total_tokens: 4210, input_tokens_details: { text_tokens: 40, image_tokens: 10 } };

async function streaming(n = 1) {
  const boundary = createBoundary();
  const actor = startRequest(boundary, validGenerate({ n }));
  actor.send({ type: "request.start" });
  await flush();
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

  it("keeps the preview, still a preview, when the stream fails before its final image", async () => {
    const { actor, view, boundary } = await streaming();
    boundary.answer("req-1", partial(1));
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "network", message: "The stream ended before the final image arrived" }) });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(view().preview).toEqual({ src: image(101).src, cancelled: false });
    expect(view().error?.mayHaveBeenBilled).toBe(true);
  });

  it("keeps the last preview marked cancelled after a cancel, and ignores partials that arrive later", async () => {
    const { actor, view, boundary } = await streaming();
    boundary.answer("req-1", partial(1));
    actor.send({ type: "user.cancel" });
    expect(phaseOf(actor.getSnapshot())).toBe("cancelled");
    expect(boundary.cancels).toEqual([{ requestId: "req-1", kind: "custom" }]);
    boundary.answer("req-1", partial(2));
    await flush();
    expect(view().preview).toEqual({ src: image(101).src, cancelled: true });
  });

  it("drops a partial of an earlier attempt when a retry starts, and says nothing for a remembered fallback", async () => {
    const { actor, view, boundary } = await streaming();
    boundary.answer("req-1", partial(1));
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "server_error", status: 503, mayHaveRun: false }) });
    expect(phaseOf(actor.getSnapshot())).toBe("waitingRetry");
    boundary.clock.increment(actor.getSnapshot().context.nextAttemptAt! - boundary.now());
    await flush();
    expect(phaseOf(actor.getSnapshot())).toBe("requesting");
    expect(view().preview).toBeUndefined();
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.done", streamFallback: "remembered" });
    expect(view().streamNotice).toBeUndefined();
  });

  it("shows a partial in the result group's first placeholder, and a preview without outputs after a cancel", async () => {
    const { selectResultGroups } = await import("../../machines/views.ts");
    const { actor, view, boundary } = await streaming(2);
    boundary.answer("req-1", partial(1));
    expect(selectResultGroups([view()], [])[0]).toMatchObject({ pending: 1, preview: { cancelled: false }, images: [] });
    actor.send({ type: "user.cancel" });
    expect(selectResultGroups([view()], [])[0]).toMatchObject({ pending: 0, preview: { cancelled: true }, images: [] });
  });
});
