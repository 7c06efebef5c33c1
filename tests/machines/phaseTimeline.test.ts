import { describe, expect, it } from "vitest";
import { usualDurationMs, type TimedRequest } from "../../machines/rules/durationEstimate.ts";
import { phaseSpans } from "../../machines/rules/phaseTimeline.ts";
import { selectRequestView } from "../../machines/views.ts";
import { createBoundary, failure, gatewayResolved, image, startRequest, validGenerate } from "./support.ts";

describe("phase bar", () => {
  it("times the queue, the gateway choice, each attempt and each wait from the machine's timestamps", async () => {
    const boundary = createBoundary();
    const actor = startRequest(boundary, validGenerate(), { timeoutMs: 300_000, maxRetries: 2 });
    boundary.clock.increment(1_500);
    actor.send({ type: "request.start" });
    await gatewayResolved(actor);
    boundary.clock.increment(4_000);
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "rate_limited", retryAfterMs: 3_000, mayHaveRun: false }) });
    boundary.clock.increment(1_000);
    // While it waits, the wait so far is the last span and grows with the clock.
    expect(selectRequestView(actor.getSnapshot(), boundary.now()).phases).toEqual([
      { phase: "queued", attempt: 0, ms: 1_500 },
      { phase: "resolving", attempt: 0, ms: 0 },
      { phase: "requesting", attempt: 1, ms: 4_000 },
      { phase: "waitingRetry", attempt: 1, ms: 1_000 },
    ]);
    boundary.clock.increment(2_000);
    await gatewayResolved(actor);
    boundary.clock.increment(2_500);
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.done" });
    boundary.clock.increment(60_000);
    // Ended: the spans stop at the end, and add up to the elapsed time.
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view.phases.map(({ phase, attempt, ms }) => `${phase}:${attempt}:${ms}`)).toEqual(["queued:0:1500", "resolving:0:0", "requesting:1:4000", "waitingRetry:1:3000", "requesting:2:2500"]);
    expect(view.phases.reduce((sum, span) => sum + span.ms, 0)).toBe(view.elapsedMs);
  });

  it("ends the attempt where a cancel of an unstoppable call began, and skips instant validation", () => {
    const timeline = [
      { phase: "validating" as const, at: 0, attempt: 0 },
      { phase: "queued" as const, at: 0, attempt: 0 },
      { phase: "resolving" as const, at: 10, attempt: 0 },
      { phase: "requesting" as const, at: 20, attempt: 1 },
      { phase: "cancelling" as const, at: 120, attempt: 1 },
      { phase: "cancelled" as const, at: 500, attempt: 1 },
    ];
    expect(phaseSpans(timeline, 9_999).map((span) => [span.phase, span.ms])).toEqual([
      ["queued", 10],
      ["resolving", 10],
      ["requesting", 100],
      ["cancelling", 380],
    ]);
  });
});

describe("usual duration", () => {
  const done = (elapsedMs: number, overrides: Partial<TimedRequest> = {}): TimedRequest => ({ status: "succeeded", model: "gpt-image-2", size: "1024x1024", quality: "high", elapsedMs, ...overrides });
  const options = { model: "gpt-image-2", size: "1024x1024", quality: "high" };

  it("is the median of earlier succeeded requests with the same model, size and quality", () => {
    const records = [done(30_000), done(1_000, { quality: "low" }), done(5_000, { status: "failed" }), done(24_000), done(2_000, { size: "1536x1024" }), done(20_000), done(9_000, { model: "gpt-image-1" })];
    expect(usualDurationMs(records, options)).toBe(24_000);
    expect(usualDurationMs([...records, done(26_000)], options)).toBe(25_000);
  });

  it("says nothing from fewer than three samples, or from records without a time", () => {
    expect(usualDurationMs([done(30_000), done(24_000), { ...done(0), elapsedMs: undefined }], options)).toBeUndefined();
    expect(usualDurationMs([done(3_000, { quality: undefined }), done(3_000, { quality: undefined }), done(3_000, { quality: undefined })], options)).toBeUndefined();
  });

  it("reads only the newest twenty matches", () => {
    const records = [...Array.from({ length: 20 }, () => done(10_000)), ...Array.from({ length: 30 }, () => done(90_000))];
    expect(usualDurationMs(records, options)).toBe(10_000);
  });
});
