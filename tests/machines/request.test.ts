import { createActor, fromPromise } from "xstate";
import { validateRequestInput } from "../../machines/rules/requestInput.schema.ts";
import { describe, expect, it } from "vitest";
import type { Resolution } from "../../machines/rules/gatewayResolution.ts";
import { phaseOf } from "../../machines/request.machine.ts";
import { fixAction, selectRequestView } from "../../machines/views.ts";
import {
  CUSTOM,
  MANAGED,
  PLANTED_PROMPT,
  PLANTED_SECRETS,
  containsSecret,
  createBoundary,
  failure,
  gatewayResolved,
  image,
  startRequest,
  validGenerate,
} from "./support.ts";

async function running(input: unknown = validGenerate(), boundary = createBoundary(), settings?: { timeoutMs: number; maxRetries: number }) {
  const actor = startRequest(boundary, input, settings);
  actor.send({ type: "request.start" });
  await gatewayResolved(actor);
  return { actor, boundary };
}

describe("request lifecycle", () => {
  it("validates, waits in the queue, resolves the gateway and requests", async () => {
    const boundary = createBoundary();
    const actor = startRequest(boundary, validGenerate());
    expect(phaseOf(actor.getSnapshot())).toBe("queued");
    actor.send({ type: "request.start" });
    expect(phaseOf(actor.getSnapshot())).toBe("resolving");
    await gatewayResolved(actor);
    expect(phaseOf(actor.getSnapshot())).toBe("requesting");
    expect(boundary.calls).toEqual([{ requestId: "req-1", kind: "custom", input: expect.objectContaining({ n: 1 }), attempt: 1 }]);
  });

  it("succeeds when every requested image arrived", async () => {
    const { actor, boundary } = await running(validGenerate({ n: 2 }));
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    expect(selectRequestView(actor.getSnapshot(), boundary.now()).outputs).toHaveLength(1);
    boundary.answer("req-1", { type: "gateway.output", output: image(2) });
    boundary.answer("req-1", { type: "gateway.done", providerRequestId: "req_abc" });
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({ phase: "succeeded", final: true, outputs: [image(1), image(2)], providerRequestId: "req_abc" });
  });

  it("keeps the images that arrived when the rest fail (partially succeeded)", async () => {
    const { actor, boundary } = await running(validGenerate({ n: 3 }));
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "rate_limited", status: 429, mayHaveRun: false }) });
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view.phase).toBe("partiallySucceeded");
    expect(view.outputs).toEqual([image(1)]);
    expect(boundary.calls).toHaveLength(1); // it ran: no automatic retry
  });

  it("fails an answer without images", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.done" });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(actor.getSnapshot().context.error).toMatchObject({ code: "invalid_response" });
  });

  it("retries a 429 after Retry-After and exposes the attempt and the next start", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", {
      type: "gateway.failed",
      failure: failure({ code: "rate_limited", status: 429, retryAfterMs: 12_000, mayHaveRun: false }),
    });
    let view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({ phase: "waitingRetry", attempt: 1, maxAttempts: 3, retryInMs: 12_000 });
    expect(view.error?.hintText).toBe("Try again in a moment.");
    // What happened is worded from the code and Retry-After; the gateway's own words are only the detail.
    expect(view.error?.sentence).toEqual({ key: "rate_limitedWait", params: { seconds: 12 } });
    expect(view.error?.detail).toBeUndefined();
    boundary.clock.increment(11_999);
    expect(phaseOf(actor.getSnapshot())).toBe("waitingRetry");
    boundary.clock.increment(1);
    view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({ phase: "requesting", attempt: 2 });
    expect(boundary.calls.map((call) => call.attempt)).toEqual([1, 2]);
    expect(boundary.calls.every((call) => call.requestId === "req-1")).toBe(true);
  });

  it("says nothing of an earlier attempt's failure once a retry succeeds; the diagnostics keep it", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "rate_limited", status: 429, mayHaveRun: false }) });
    boundary.clock.increment(2_000);
    boundary.answer("req-1", { type: "gateway.output", output: { src: "data:image/png;base64,AAAA" } });
    boundary.answer("req-1", { type: "gateway.done" });
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view).toMatchObject({ phase: "succeeded", tone: "ok", attempt: 2 });
    expect(view.error).toBeUndefined();
    expect(view.attemptFailures).toEqual([{ attempt: 1, code: "rate_limited", status: 429 }]);
  });

  it("quotes only the provider's own words, and words a finer cause from the backend's reason", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", {
      type: "gateway.failed",
      failure: failure({ code: "network", message: "The connection to the endpoint broke: client error (SendRequest)", reason: "connection_broke", mayHaveRun: true }),
    });
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view.error).toMatchObject({ sentence: { key: "connection_broke" }, mayHaveBeenBilled: true });
    expect(view.error?.detail).toBeUndefined();
    const refused = await running(validGenerate(), createBoundary());
    refused.boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "invalid_request", status: 400, message: "The endpoint rejected the request (HTTP 400): bad size", providerText: "bad size", mayHaveRun: false }) });
    expect(selectRequestView(refused.actor.getSnapshot(), refused.boundary.now()).error).toMatchObject({ sentence: { key: "invalid_request" }, detail: "bad size" });
  });

  it("gives up after the configured number of retries", async () => {
    const { actor, boundary } = await running(validGenerate(), createBoundary(), { timeoutMs: 300_000, maxRetries: 1 });
    const unavailable = failure({ code: "server_error", status: 503, mayHaveRun: false });
    boundary.answer("req-1", { type: "gateway.failed", failure: unavailable });
    boundary.clock.increment(1_000);
    boundary.answer("req-1", { type: "gateway.failed", failure: unavailable });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(boundary.calls).toHaveLength(2);
    expect(actor.getSnapshot().context.error).toMatchObject({ code: "server_error", status: 503, mayHaveBeenBilled: false });
  });

  it.each([
    ["a 500", failure({ code: "server_error", status: 500 }), true],
    ["a 502", failure({ code: "server_error", status: 502 }), true],
    ["a reset mid-response", failure({ code: "network", mayHaveRun: true }), true],
    ["a 401", failure({ code: "unauthorized", status: 401, mayHaveRun: false }), false],
    ["a 400", failure({ code: "invalid_request", status: 400, mayHaveRun: false }), false],
    ["a 413", failure({ code: "payload_too_large", status: 413, mayHaveRun: false }), false],
  ])("never retries %s on its own", async (_name, gatewayFailure, billed) => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: gatewayFailure });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(actor.getSnapshot().context.error?.mayHaveBeenBilled).toBe(billed);
    boundary.clock.increment(60_000);
    expect(boundary.calls).toHaveLength(1);
  });

  it.each([
    ["a 524 from Cloudflare", failure({ code: "gateway_timeout", status: 524, reason: "html_page", mayHaveRun: true }), { key: "gateway_timeout", params: { status: 524 } }],
    ["a 504 whose wire says it did not run", failure({ code: "gateway_timeout", status: 504, mayHaveRun: false }), { key: "gateway_timeout", params: { status: 504 } }],
    ["a reset after sending", failure({ code: "gateway_timeout", reason: "connection_broke", mayHaveRun: true }), { key: "connection_broke" }],
  ])("ends %s as a gateway timeout that may have run, never retried, with streaming as its one fix", async (_name, gatewayFailure, sentence) => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: gatewayFailure });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    boundary.clock.increment(60_000);
    expect(boundary.calls).toHaveLength(1);
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view.error).toMatchObject({ sentence, hint: "gateway_timeout", fix: "enableStreaming" });
    // A proxy cannot know whether the provider behind it ran the request.
    expect(view.error?.mayHaveBeenBilled).toBe(true);
    expect(fixAction("enableStreaming")).toEqual({ fix: "enableStreaming", enable: "streaming" });
  });

  it("ends a key saved for another address as not sent, not billed, and sends the user to settings", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "key_origin_mismatch", mayHaveRun: false }) });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    boundary.clock.increment(60_000);
    expect(boundary.calls).toHaveLength(1);
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view.error).toMatchObject({ sentence: { key: "key_origin_mismatch" }, hint: "key_origin_mismatch", fix: "openSettings", mayHaveBeenBilled: false });
  });

  it("retries a connection refused before sending", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "network", mayHaveRun: false }) });
    expect(phaseOf(actor.getSnapshot())).toBe("waitingRetry");
  });

  it("times out on its own clock, cancels the call and ignores a late answer", async () => {
    const { actor, boundary } = await running(validGenerate(), createBoundary(), { timeoutMs: 5_000, maxRetries: 2 });
    const lateAnswer = boundary.live.get("req-1")!;
    boundary.clock.increment(5_000);
    expect(phaseOf(actor.getSnapshot())).toBe("timedOut");
    expect(boundary.cancels).toEqual([{ requestId: "req-1", kind: "custom" }]);
    lateAnswer({ type: "gateway.output", output: image(9) });
    expect(actor.getSnapshot().context.outputs).toEqual([]);
    expect(actor.getSnapshot().context.error).toMatchObject({ code: "timeout", mayHaveBeenBilled: true });
  });

  it("ends timed out when the transport itself reports a timeout", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "timeout", message: "The endpoint did not answer in time" }) });
    expect(phaseOf(actor.getSnapshot())).toBe("timedOut");
    expect(actor.getSnapshot().context.error).toMatchObject({ code: "timeout", hint: "timeout", mayHaveBeenBilled: true });
  });

  it("ends cancelled when the transport reports the call was cancelled", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "cancelled", message: "cancelled" }) });
    expect(phaseOf(actor.getSnapshot())).toBe("cancelled");
    expect(boundary.logs.map((log) => log.event)).toEqual(["started", "cancelled"]);
  });

  it("does not wait for a Retry-After longer than two minutes", async () => {
    const { actor, boundary } = await running();
    boundary.answer("req-1", {
      type: "gateway.failed",
      failure: failure({ code: "rate_limited", status: 429, retryAfterMs: 3_600_000, mayHaveRun: false }),
    });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(actor.getSnapshot().context.error).toMatchObject({ code: "rate_limited", hint: "rate_limited", mayHaveBeenBilled: false });
  });

  it("sends no gateway cancel for a request that has no call in flight", async () => {
    const boundary = createBoundary();
    const queued = startRequest(boundary, validGenerate());
    queued.send({ type: "user.cancel" });
    expect(phaseOf(queued.getSnapshot())).toBe("cancelled");
    const waiting = startRequest(boundary, validGenerate());
    waiting.send({ type: "request.start" });
    await gatewayResolved(waiting);
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "rate_limited", mayHaveRun: false }) });
    expect(phaseOf(waiting.getSnapshot())).toBe("waitingRetry");
    waiting.send({ type: "user.cancel" });
    expect(phaseOf(waiting.getSnapshot())).toBe("cancelled");
    expect(boundary.cancels).toEqual([]);
    // Cancelled during the wait: the next attempt never starts.
    boundary.clock.increment(60_000);
    expect(boundary.calls).toHaveLength(1);
  });

  it("ignores a late answer after it ended", async () => {
    const { actor, boundary } = await running();
    const sendBack = boundary.live.get("req-1")!;
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.done" });
    sendBack({ type: "gateway.output", output: image(2) });
    sendBack({ type: "gateway.failed", failure: failure({}) });
    expect(phaseOf(actor.getSnapshot())).toBe("succeeded");
    expect(actor.getSnapshot().context.outputs).toEqual([image(1)]);
    expect(boundary.logs.map((log) => log.event)).toEqual(["started", "succeeded"]);
  });

  it("fails with the no-gateway reason when resolving the gateway throws", async () => {
    const boundary = createBoundary();
    const actor = createActor(
      boundary.request.provide({ actors: { resolveGateway: fromPromise<Resolution, { requestId: string }>(async () => Promise.reject(new Error("bridge gone"))) } }),
      { input: { id: "req-1", input: validateRequestInput(validGenerate()), settings: { timeoutMs: 1_000, maxRetries: 0 }, now: boundary.now, random: () => 0 }, clock: boundary.clock },
    ).start();
    actor.send({ type: "request.start" });
    await gatewayResolved(actor);
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(actor.getSnapshot().context.error).toMatchObject({ code: "gateway_unavailable", hint: "gateway_unavailable", reason: "noGateway", fix: "openSettings" });
    expect(boundary.logs).toEqual([]);
  });

  it.each(["queued", "resolving", "requesting", "waitingRetry"])("can be cancelled while %s, keeping what arrived", async (phase) => {
    const boundary = createBoundary();
    const actor = startRequest(boundary, validGenerate({ n: 2 }));
    if (phase !== "queued") actor.send({ type: "request.start" });
    if (phase === "requesting" || phase === "waitingRetry") {
      await gatewayResolved(actor);
      boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    }
    if (phase === "waitingRetry") {
      // an image already arrived, so the request ran: use a fresh request that retries
      actor.send({ type: "user.cancel" });
      const second = startRequest(boundary, validGenerate());
      second.send({ type: "request.start" });
      await gatewayResolved(second);
      boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "rate_limited", mayHaveRun: false }) });
      expect(phaseOf(second.getSnapshot())).toBe("waitingRetry");
      second.send({ type: "user.cancel" });
      expect(phaseOf(second.getSnapshot())).toBe("cancelled");
      return;
    }
    expect(phaseOf(actor.getSnapshot())).toBe(phase);
    actor.send({ type: "user.cancel" });
    expect(phaseOf(actor.getSnapshot())).toBe("cancelled");
    expect(actor.getSnapshot().status).toBe("done");
    if (phase === "requesting") {
      expect(actor.getSnapshot().context.outputs).toEqual([image(1)]);
      expect(boundary.cancels).toEqual([{ requestId: "req-1", kind: "custom" }]);
    }
  });

  it("rejects invalid input without reaching any gateway or log", async () => {
    const boundary = createBoundary();
    const actor = startRequest(boundary, validGenerate({ model: "gpt-image-2", n: 0, size: "13x13" }));
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    expect(view.error?.problems?.map((problem) => [problem.field, problem.rule])).toEqual([
      ["n", "countRange"],
      ["size", "sizeEdgeMultiple"],
    ]);
    expect(view.error?.summary).toContain("n: must be a whole number from 1 to 10");
    expect(boundary.calls).toEqual([]);
    expect(boundary.logs).toEqual([]);
  });

  it("fails with the reason when no gateway is usable", async () => {
    const boundary = createBoundary({ status: "unavailable", reason: "signedOut", fix: "signIn" });
    const actor = startRequest(boundary, validGenerate());
    actor.send({ type: "request.start" });
    await gatewayResolved(actor);
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    expect(selectRequestView(actor.getSnapshot(), boundary.now()).error).toMatchObject({
      code: "gateway_unavailable",
      summary: "Signed out of HaloForge.",
      hint: "signed_out",
      reason: "signedOut",
      mayHaveBeenBilled: false,
    });
    // The gateway status says how to get back in (Check again); the card only says what happened.
    expect(selectRequestView(actor.getSnapshot(), boundary.now()).error).not.toHaveProperty("fix");
  });

  it("says signed out once when the gateway call itself is rejected as signed out (the status offers Check again)", async () => {
    const { actor, boundary } = await running(validGenerate(), createBoundary(MANAGED));
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "signed_out", message: "Sign in to HaloForge Cloud.", mayHaveRun: false }) });
    expect(phaseOf(actor.getSnapshot())).toBe("failed");
    const error = selectRequestView(actor.getSnapshot(), boundary.now()).error;
    expect(error).toMatchObject({ code: "signed_out", hint: "signed_out", hintText: "", sentence: { key: "signed_out" } });
    expect(error).not.toHaveProperty("fix");
    expect(error).not.toHaveProperty("detail");
  });

  it("keeps the gateway it started with when the resolution changes", async () => {
    const boundary = createBoundary(MANAGED);
    const { actor } = await running(validGenerate(), boundary);
    boundary.setResolution(CUSTOM);
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "rate_limited", mayHaveRun: false }) });
    boundary.clock.increment(1_000);
    expect(boundary.calls.map((call) => call.kind)).toEqual(["managed", "managed"]);
    expect(actor.getSnapshot().context.gateway?.labelKey).toBe("managed");
  });
});

describe("request logging", () => {
  it("emits one started and one terminal event with exactly the log fields", async () => {
    const boundary = createBoundary(MANAGED);
    const { actor } = await running(validGenerate({ n: 2 }), boundary);
    boundary.clock.increment(1_500);
    boundary.answer("req-1", { type: "gateway.output", output: image(1) });
    boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "server_error", status: 500, message: `boom for ${PLANTED_SECRETS[0]} and prompt ${PLANTED_PROMPT}` }) });
    expect(phaseOf(actor.getSnapshot())).toBe("partiallySucceeded");
    expect(boundary.logs.map((log) => log.event)).toEqual(["started", "succeeded"]);
    const [started, ended] = boundary.logs;
    expect(Object.keys(started!).sort()).toEqual(
      ["count", "elapsedMs", "event", "gateway", "model", "operation", "outputCount", "promptLength", "requestId", "size", "status"].sort(),
    );
    expect(ended).toMatchObject({
      requestId: "req-1",
      gateway: "managed",
      operation: "generate",
      model: "gpt-image-1",
      size: "1024x1024",
      count: 2,
      status: "partiallySucceeded",
      elapsedMs: 1_500,
      outputCount: 1,
      httpStatus: 500,
      promptLength: PLANTED_PROMPT.length,
    });
    expect(ended!.errorSummary!.length).toBeLessThanOrEqual(200);
    expect(containsSecret(boundary.logs, [...PLANTED_SECRETS, PLANTED_PROMPT])).toBeUndefined();
  });
});
