// Model-based tests: @xstate/graph enumerates every simple path through the request machine's own
import { validateRequestInput } from "../../machines/rules/requestInput.schema.ts";
// graph; each path is then replayed on a real actor whose boundaries (gateway, clock, logger) are
// fakes, and the request's invariants are checked on it.
import { getSimplePaths, type StatePath } from "@xstate/graph";
import { createActor, fromPromise, getNextSnapshot, type EventFromLogic, type SnapshotFrom } from "xstate";
import { describe, expect, it } from "vitest";
import type { Resolution } from "../../machines/rules/gatewayResolution.ts";
import type { GatewayFailure } from "../../machines/gatewayCall.ts";
import { FINAL_PHASES, phaseOf, requestMachine, type RequestMachine, type RequestMachineInput, type RequestPhase } from "../../machines/request.machine.ts";
import { selectRequestView } from "../../machines/views.ts";
import { CUSTOM, MANAGED, PLANTED_PROMPT, PLANTED_SECRETS, containsSecret, createBoundary, ENTERPRISE_WORDING, rendered, failure, gatewayResolved, image, validGenerate } from "./support.ts";

type RequestSnapshot = SnapshotFrom<RequestMachine>;
type AnyEvent = EventFromLogic<RequestMachine> | { type: string; output?: Resolution };

const SETTINGS = { timeoutMs: 10_000, maxRetries: 2 };
const TIMEOUT_EVENT = requestMachine().getStateNodeById("request.requesting").after[0]!.eventType;
const RETRY_EVENT = requestMachine().getStateNodeById("request.waitingRetry").after[0]!.eventType;
const RESOLVED = "xstate.done.actor.resolveGateway";

const FAILURES: GatewayFailure[] = [
  failure({ code: "rate_limited", status: 429, retryAfterMs: 2_000, mayHaveRun: false, message: `429 for key ${PLANTED_SECRETS[0]}` }),
  failure({ code: "server_error", status: 503, mayHaveRun: false }),
  failure({ code: "network", mayHaveRun: false, message: "Could not connect to the endpoint" }),
  failure({ code: "server_error", status: 500, message: `Authorization: Bearer ${PLANTED_SECRETS[1]} prompt ${PLANTED_PROMPT}` }),
  failure({ code: "unauthorized", status: 401, mayHaveRun: false, message: `Incorrect API key provided: ${PLANTED_SECRETS[0]}` }),
  failure({ code: "timeout", message: "The endpoint did not answer in time" }),
  failure({ code: "cancelled", message: "cancelled" }),
];

const EVENTS: AnyEvent[] = [
  { type: "request.start" },
  { type: RESOLVED, output: MANAGED },
  { type: RESOLVED, output: CUSTOM },
  { type: RESOLVED, output: { status: "unavailable", reason: "signedOut", fix: "signIn" } },
  { type: "gateway.output", output: image(1) },
  { type: "gateway.done", providerRequestId: "req_provider_1" },
  ...FAILURES.map((gatewayFailure) => ({ type: "gateway.failed" as const, failure: gatewayFailure })),
  { type: "user.cancel" },
  { type: TIMEOUT_EVENT },
  { type: RETRY_EVENT },
];

const machineInput = (now: () => number): RequestMachineInput => ({
  id: "req-1",
  input: validateRequestInput(validGenerate({ n: 2 })),
  settings: SETTINGS,
  now,
  random: () => 0.5,
  secrets: PLANTED_SECRETS,
});

// Behaviourally equal states share a key: outputs beyond n change nothing; the gateway's kind does
// (a managed call cannot be stopped).
const stateKey = (snapshot: RequestSnapshot) =>
  JSON.stringify([
    snapshot.value,
    snapshot.context.gateway?.kind ?? null,
    snapshot.context.attempt,
    Math.min(snapshot.context.outputs.length, 2),
    snapshot.context.error?.code ?? null,
  ]);

const paths = getSimplePaths(requestMachine(), {
  events: EVENTS as EventFromLogic<RequestMachine>[],
  input: machineInput(() => 0),
  serializeState: stateKey,
}) as StatePath<RequestSnapshot, AnyEvent>[];

const viewAt = (snapshot: RequestSnapshot) => selectRequestView(snapshot, 0);
const isFinal = (phase: unknown) => FINAL_PHASES.includes(phase as RequestPhase);
const expectedLogName = (phase: RequestPhase) =>
  phase === "cancelled" ? "cancelled" : phase === "succeeded" || phase === "partiallySucceeded" ? "succeeded" : "failed";

/** Replays a path on a real actor; fails if the implementation disagrees with the model. */
async function replay(path: StatePath<RequestSnapshot, AnyEvent>) {
  const boundary = createBoundary(MANAGED);
  let resolveNow: (resolution: Resolution) => void = () => undefined;
  const machine = boundary.request.provide({
    actors: { resolveGateway: fromPromise<Resolution, { requestId: string }>(() => new Promise((resolve) => (resolveNow = resolve))) },
  });
  const actor = createActor(machine, { input: machineInput(boundary.now), clock: boundary.clock }).start();
  let userCancelledCall: string | undefined;
  for (const { event, state } of path.steps) {
    const before = actor.getSnapshot();
    if (event.type === "xstate.init") {
      // the initial state
    } else if (event.type === RESOLVED) {
      resolveNow((event as { output: Resolution }).output);
      await gatewayResolved(actor);
    } else if (event.type === TIMEOUT_EVENT) {
      boundary.clock.increment(SETTINGS.timeoutMs);
    } else if (event.type === RETRY_EVENT) {
      boundary.clock.increment(before.context.nextAttemptAt! - boundary.now());
    } else if (event.type === "request.start" || event.type === "user.cancel") {
      if (event.type === "user.cancel" && phaseOf(before) === "requesting") userCancelledCall = before.context.gateway?.kind;
      actor.send(event as EventFromLogic<RequestMachine>);
    } else {
      boundary.answer("req-1", event as never);
    }
    expect(stateKey(actor.getSnapshot())).toBe(stateKey(state));
  }
  return { actor, boundary, userCancelledCall };
}

describe("request machine on every simple path (@xstate/graph)", () => {
  it("reaches every phase", () => {
    const phases = new Set(paths.map((path) => phaseOf(path.state)));
    expect([...phases].sort()).toEqual(
      ["cancelled", "cancelling", "failed", "partiallySucceeded", "queued", "requesting", "resolving", "succeeded", "timedOut", "waitingRetry"].sort(),
    );
    expect(paths.length).toBeGreaterThan(200);
  });

  it("keeps every invariant on every path", async () => {
    for (const path of paths) {
      const { actor, boundary, userCancelledCall } = await replay(path);
      const snapshot = actor.getSnapshot();
      const phase = phaseOf(snapshot);
      const reachedGateway = snapshot.context.attempt > 0;
      const started = boundary.logs.filter((log) => log.event === "started");
      const terminal = boundary.logs.filter((log) => log.event !== "started");

      // One started event per request that reached a gateway, one terminal event once it ended.
      expect(started).toHaveLength(reachedGateway ? 1 : 0);
      expect(terminal).toHaveLength(reachedGateway && isFinal(phase) ? 1 : 0);
      if (terminal[0]) {
        expect(boundary.logs[0]!.event).toBe("started");
        expect(terminal[0]).toMatchObject({ event: expectedLogName(phase), status: phase, requestId: "req-1" });
        expect(terminal[0].errorSummary?.length ?? 0).toBeLessThanOrEqual(200);
      }
      // Every attempt carries the request's one ID.
      expect(boundary.calls.every((call) => call.requestId === "req-1")).toBe(true);
      expect(boundary.calls.map((call) => call.attempt)).toEqual(boundary.calls.map((_, index) => index + 1));
      expect(boundary.calls.length).toBeLessThanOrEqual(SETTINGS.maxRetries + 1);
      // A user cancel of a custom call in flight reaches the native side; a managed call cannot be
      // stopped: it is waited for (cancelling), and what it brings is kept, marked.
      if (userCancelledCall === "custom") expect(boundary.cancels).toEqual([{ requestId: "req-1", kind: "custom" }]);
      if (userCancelledCall === "managed") {
        expect(boundary.cancels.filter((cancel) => cancel.kind === "managed")).toEqual([]);
        expect(snapshot.context.cancelledAt).toBeDefined();
      }
      if (phase === "cancelling") expect(viewAt(snapshot).cancelNote).toBe("mayStillBill");
      const lateOutputs = snapshot.context.outputs.filter((output) => output.afterCancel);
      if (lateOutputs.length > 0) expect(userCancelledCall).toBe("managed");

      // Nothing secret in logs or the view; the view is plain JSON and never says "Enterprise gateway".
      expect(containsSecret(boundary.logs, [...PLANTED_SECRETS, PLANTED_PROMPT])).toBeUndefined();
      expect(JSON.stringify(boundary.logs)).not.toMatch(/iVBOR|base64/);
      const view = selectRequestView(snapshot, boundary.now());
      expect(containsSecret(view, PLANTED_SECRETS)).toBeUndefined();
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
      const label = view.gateway ? rendered(`gateway.label.${view.gateway.labelKey}`).join(" ") : "";
      expect(`${JSON.stringify(view)} ${label}`).not.toMatch(ENTERPRISE_WORDING);
      expect(view.outputs).toEqual(snapshot.context.outputs);

      // Final states are final: no event of the model moves them, and no timer fires later.
      if (isFinal(phase)) {
        expect(actor.getSnapshot().status).toBe("done");
        for (const event of EVENTS) expect(phaseOf(getNextSnapshot(requestMachine(), path.state, event as never))).toBe(phase);
        const logged = boundary.logs.length;
        const called = boundary.calls.length;
        boundary.clock.increment(SETTINGS.timeoutMs * 10);
        expect(phaseOf(actor.getSnapshot())).toBe(phase);
        expect(boundary.logs).toHaveLength(logged);
        expect(boundary.calls).toHaveLength(called);
      }
      actor.stop();
    }
  }, 60_000);
});
