import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject } from "xstate";
import { describe, expect, it } from "vitest";
import { failureFromNativeError, NativeImageAnswerSchema, type NativeError } from "../../machines/gatewayAnswers.schema.ts";
import type { GatewayKind } from "../../machines/gatewayTypes.ts";
import type { RequestLogEvent } from "../../machines/logEvents.ts";
import { provideOrchestratorPorts } from "../../machines/ports.ts";
import { isAutomaticallyRetryable, mayHaveBeenBilled } from "../../machines/retryPolicy.ts";
import type { CallGatewayInput } from "../../machines/request.machine.ts";
import { CUSTOM, flush, validGenerate } from "./support.ts";

const native = (error: Partial<NativeError>): NativeError => ({ code: "server_error", message: "failed", ...error });

describe("native answers at the boundary", () => {
  it("accepts the native success and failure shapes and rejects anything else", () => {
    expect(NativeImageAnswerSchema.safeParse({ ok: true, requestId: "r", elapsedMs: 3, result: { data: [{ b64_json: "QUJD" }] } }).success).toBe(true);
    expect(
      NativeImageAnswerSchema.safeParse({ ok: false, requestId: "r", error: { code: "rate_limited", message: "slow", status: 429, retry_after_ms: 2_000 } }).success,
    ).toBe(true);
    expect(NativeImageAnswerSchema.safeParse({ ok: false, requestId: "r", error: { code: "teapot", message: "?" } }).success).toBe(false);
    expect(NativeImageAnswerSchema.safeParse({ ok: true, result: {} }).success).toBe(false);
  });

  it.each([
    ["429", native({ code: "rate_limited", status: 429, retry_after_ms: 1_000 }), true, false],
    ["503", native({ code: "server_error", status: 503 }), true, false],
    ["connection refused", native({ code: "network", message: "Could not connect to the endpoint: refused" }), true, false],
    ["reset mid-response", native({ code: "network", message: "The connection to the endpoint broke: reset" }), false, true],
    ["500", native({ code: "server_error", status: 500 }), false, true],
    ["502", native({ code: "server_error", status: 502 }), false, true],
    ["504", native({ code: "server_error", status: 504 }), false, true],
    ["timeout", native({ code: "timeout" }), false, true],
    ["400", native({ code: "invalid_request", status: 400 }), false, false],
    ["401", native({ code: "unauthorized", status: 401 }), false, false],
    ["403", native({ code: "forbidden", status: 403 }), false, false],
    ["404", native({ code: "not_found", status: 404 }), false, false],
    ["413", native({ code: "payload_too_large", status: 413 }), false, false],
  ])("a native %s is retried automatically: %s, may have been billed: %s", (_name, error, retried, billed) => {
    const failure = failureFromNativeError(error);
    expect(isAutomaticallyRetryable(failure)).toBe(retried);
    expect(mayHaveBeenBilled(failure)).toBe(billed);
  });

  it("carries status, Retry-After and the provider request id across", () => {
    expect(failureFromNativeError(native({ code: "rate_limited", status: 429, retry_after_ms: 1_500, provider_request_id: "req_9" }))).toEqual({
      code: "rate_limited",
      message: "failed",
      status: 429,
      retryAfterMs: 1_500,
      providerRequestId: "req_9",
      mayHaveRun: false,
    });
  });
});

describe("ports", () => {
  it("wires resolve, call, cancel and log into the orchestrator's requests", async () => {
    const clock = new SimulatedClock();
    const logs: RequestLogEvent[] = [];
    const cancels: { requestId: string; kind: GatewayKind }[] = [];
    const calls: CallGatewayInput[] = [];
    const machine = provideOrchestratorPorts({
      resolveGateway: fromPromise(async () => CUSTOM),
      callGateway: fromCallback<EventObject, CallGatewayInput>(({ input }) => void calls.push(input)),
      cancelGatewayCall: (params) => void cancels.push(params),
      log: (event) => void logs.push(event),
    });
    const actor = createActor(machine, { input: { createId: () => "req-a", now: () => clock.now(), random: () => 0 }, clock }).start();
    actor.send({ type: "user.submit", input: validGenerate() });
    await flush();
    actor.send({ type: "user.cancel", id: "req-a" });
    expect(calls.map((call) => [call.requestId, call.kind, call.attempt])).toEqual([["req-a", "custom", 1]]);
    expect(cancels).toEqual([{ requestId: "req-a", kind: "custom" }]);
    expect(logs.map((log) => [log.requestId, log.event])).toEqual([
      ["req-a", "started"],
      ["req-a", "cancelled"],
    ]);
  });
});
