import { describe, expect, it } from "vitest";
import { buildLogEvent, createLogSink, type RequestLogEvent } from "../../machines/logEvents.ts";
import { retryDelayMs } from "../../machines/rules/retryPolicy.ts";
import { selectRequestView } from "../../machines/views.ts";
import { failure, gatewayResolved, image, startRequest, createBoundary, validGenerate } from "./support.ts";

const source = { requestId: "r-1", gateway: "managed" as const, operation: "generate" as const, model: "gpt-image-1", size: "1024x1024", count: 1, promptLength: 12 };

function recordingLogger() {
  const lines: [string, string, unknown][] = [];
  const at = (level: string) => (message: string, details?: unknown) => void lines.push([level, message, details]);
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn") } };
}

describe("log events", () => {
  it("cuts the redacted error summary to 200 characters", () => {
    const event = buildLogEvent("failed", source, {
      status: "failed",
      elapsedMs: 12.6,
      outputCount: 0,
      error: `Bearer sk-abcdefghijklmnop1234 ${"x ".repeat(300)}`,
    });
    expect(event.errorSummary!.length).toBeLessThanOrEqual(200);
    expect(event.errorSummary).not.toContain("sk-abcdefghijklmnop1234");
    expect(event.elapsedMs).toBe(13);
  });

  it("logs managed and mock requests at info (failures at warn) and custom ones at debug only", () => {
    const { lines, logger } = recordingLogger();
    const sink = createLogSink(logger);
    const event = (overrides: Partial<RequestLogEvent>): RequestLogEvent => ({ ...buildLogEvent("started", source, { status: "requesting", elapsedMs: 0, outputCount: 0 }), ...overrides });
    sink(event({}));
    sink(event({ event: "failed", status: "failed" }));
    sink(event({ gateway: "mock", event: "succeeded", status: "succeeded" }));
    sink(event({ gateway: "custom" }));
    sink(event({ gateway: "custom", event: "failed", status: "failed" }));
    expect(lines.map(([level, message]) => `${level} ${message}`)).toEqual([
      "info image request started",
      "warn image request failed",
      "info image request succeeded",
      "debug image request started",
      "debug image request failed",
    ]);
  });
});

describe("retry delay", () => {
  it("grows exponentially with full jitter and never undercuts Retry-After", () => {
    const noHint = failure({ code: "rate_limited", mayHaveRun: false });
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, noHint, () => 0.999))).toEqual([999, 1_998, 3_996]);
    expect(retryDelayMs(1, noHint, () => 0)).toBe(0);
    expect(retryDelayMs(10, noHint, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(1, failure({ code: "rate_limited", retryAfterMs: 12_000, mayHaveRun: false }), () => 0.5)).toBe(12_000);
  });
});

describe("request view", () => {
  it("shows attempt, countdown, hint, billing note and outputs as plain JSON", async () => {
    const boundary = createBoundary();
    const actor = startRequest(boundary, validGenerate({ n: 2 }), { timeoutMs: 300_000, maxRetries: 2 });
    actor.send({ type: "request.start" });
    await gatewayResolved(actor);
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "server_error", status: 503, retryAfterMs: 5_000, mayHaveRun: false }) });
    boundary.clock.increment(2_000);
    let view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({ phase: "waitingRetry", attempt: 1, maxAttempts: 3, nextAttemptAt: 5_000, retryInMs: 3_000, elapsedMs: 2_000, gateway: { kind: "custom", labelKey: "custom" } });
    boundary.clock.increment(3_000);
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "server_error", status: 502 }) });
    view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({
      phase: "partiallySucceeded",
      final: true,
      attempt: 2,
      outputs: [image(1)],
      error: { code: "server_error", status: 502, hint: "server_error", hintText: "Retry in a moment.", mayHaveBeenBilled: true, sentence: { key: "server_errorStatus", params: { status: 502 } } },
    });
    expect(view.retryInMs).toBeUndefined();
    expect(view.timeline.map((step) => step.phase)).toEqual(["validating", "queued", "resolving", "requesting", "waitingRetry", "requesting", "partiallySucceeded"]);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
