// Model-based and property tests: invariants that must hold on every path through the machines.
import fc from "fast-check";
import { createActor } from "xstate";
import { gatewayMachine, type GatewayEvent } from "../../machines/gateway.machine.ts";
import { GATEWAY_LABELS } from "../../machines/labels.ts";
import { describe, expect, it } from "vitest";
import type { GatewayFailure } from "../../machines/gatewayTypes.ts";
import type { RequestLogEvent } from "../../machines/logEvents.ts";
import { FINAL_PHASES } from "../../machines/request.machine.ts";
import { selectRequestView, selectRequestViews } from "../../machines/views.ts";
import {
  MANAGED,
  PLANTED_PROMPT,
  PLANTED_SECRETS,
  containsSecret,
  createBoundary,
  failure,
  flush,
  image,
  startOrchestrator,
  startRequest,
  validGenerate,
} from "./support.ts";

const FAILURES: GatewayFailure[] = [
  failure({ code: "rate_limited", status: 429, retryAfterMs: 2_000, mayHaveRun: false, message: `429 for ${PLANTED_SECRETS[0]}` }),
  failure({ code: "server_error", status: 503, mayHaveRun: false }),
  failure({ code: "server_error", status: 500, message: `Authorization: Bearer ${PLANTED_SECRETS[1]}` }),
  failure({ code: "unauthorized", status: 401, mayHaveRun: false, message: `bad key ${PLANTED_SECRETS[0]}` }),
  failure({ code: "network", mayHaveRun: false }),
];

const GATEWAY_EVENTS: GatewayEvent[] = [
  { type: "host.signedOut" },
  { type: "host.signedIn" },
  { type: "host.signedIn", session: "cloud" },
  { type: "host.changed", host: { managed: "absent" } },
  { type: "settings.changed", mode: "cloud" },
  { type: "settings.changed", mode: "custom" },
  { type: "settings.changed", mode: "mock" },
  { type: "settings.changed", mode: "auto" },
  { type: "settings.changed", custom: { baseUrl: "https://images.example.com/v1", valid: true, keySet: true } },
  { type: "settings.changed", custom: { valid: false, keySet: false } },
];

type Step =
  | { kind: "start" }
  | { kind: "output" }
  | { kind: "done" }
  | { kind: "fail"; failure: GatewayFailure }
  | { kind: "cancel" }
  | { kind: "tick"; ms: number };

const STEPS: Step[] = [
  { kind: "start" },
  { kind: "output" },
  { kind: "done" },
  ...FAILURES.map((gatewayFailure) => ({ kind: "fail" as const, failure: gatewayFailure })),
  { kind: "cancel" },
  { kind: "tick", ms: 2_500 },
  { kind: "tick", ms: 300_000 },
];

function checkLogInvariants(logs: RequestLogEvent[], ended: boolean) {
  const started = logs.filter((log) => log.event === "started");
  const terminal = logs.filter((log) => log.event !== "started");
  expect(started.length).toBeLessThanOrEqual(1);
  expect(terminal.length).toBeLessThanOrEqual(started.length);
  if (ended) expect(terminal.length).toBe(started.length);
  if (terminal.length > 0) expect(logs.indexOf(terminal[0]!)).toBeGreaterThan(logs.indexOf(started[0]!));
  expect(containsSecret(logs, [...PLANTED_SECRETS, PLANTED_PROMPT])).toBeUndefined();
  for (const log of logs) expect(JSON.stringify(log)).not.toMatch(/base64|iVBOR/);
}

// Complements the simple paths of requestPaths.test.ts with repeated events (a second output, a
// failure after a failure) in every order, up to three steps.
describe("request machine over every event sequence of three steps", () => {
  it("keeps its invariants", async () => {
    let paths = 0;
    const walk = async (prefix: Step[]): Promise<void> => {
      if (prefix.length === 3) {
        paths += 1;
        const boundary = createBoundary(MANAGED);
        const actor = startRequest(boundary, validGenerate({ n: 2 }), { timeoutMs: 300_000, maxRetries: 2 });
        let finalSeen: string | undefined;
        for (const step of prefix) {
          // The orchestrator sends nothing to an ended request (XState would only warn and drop it).
          const active = actor.getSnapshot().status === "active";
          if (step.kind === "start") active && actor.send({ type: "request.start" });
          else if (step.kind === "output") boundary.answer("req-1", { type: "gateway.output", output: image(1) });
          else if (step.kind === "done") boundary.answer("req-1", { type: "gateway.done" });
          else if (step.kind === "fail") boundary.answer("req-1", { type: "gateway.failed", failure: step.failure });
          else if (step.kind === "cancel") active && actor.send({ type: "user.cancel" });
          else boundary.clock.increment(step.ms);
          await flush();
          const phase = actor.getSnapshot().value as string;
          // Final states are final.
          if (finalSeen) expect(phase).toBe(finalSeen);
          if (FINAL_PHASES.includes(phase as never)) finalSeen = phase;
        }
        const snapshot = actor.getSnapshot();
        checkLogInvariants(boundary.logs, snapshot.status === "done");
        const view = selectRequestView(snapshot, boundary.now());
        expect(containsSecret(view, PLANTED_SECRETS)).toBeUndefined();
        expect(JSON.stringify(view)).not.toMatch(/enterprise gateway/i);
        expect(view.outputs.length).toBeLessThanOrEqual(snapshot.context.outputs.length);
        return;
      }
      for (const step of STEPS) await walk([...prefix, step]);
    };
    await walk([]);
    expect(paths).toBe(STEPS.length ** 3);
  }, 120_000);
});

describe("orchestrator under random event sequences (property)", () => {
  const command = fc.oneof(
    fc.record({ kind: fc.constant("submit" as const), valid: fc.boolean(), n: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("retry" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("output" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("done" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("fail" as const), pick: fc.nat(), failure: fc.constantFrom(...FAILURES) }),
    fc.record({ kind: fc.constant("late" as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 400_000 }) }),
    fc.record({ kind: fc.constant("settings" as const), concurrency: fc.integer({ min: 1, max: 4 }), timeoutMs: fc.integer({ min: 1_000, max: 400_000 }) }),
    fc.record({ kind: fc.constant("gateway" as const), event: fc.constantFrom(...GATEWAY_EVENTS) }),
  );

  it("never loses or duplicates a request and keeps logs clean", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 50 }), async (commands) => {
        const boundary = createBoundary(MANAGED);
        // The real selection machine decides what new requests resolve to.
        const gateway = createActor(gatewayMachine, { input: { mode: "auto", host: { managed: "available" }, custom: { valid: false, keySet: false }, flavour: "development" } }).start();
        boundary.setResolution(gateway.getSnapshot().context.resolution);
        const actor = startOrchestrator(boundary);
        let submitted = 0;
        let runningBefore: string[] = [];
        const stale: ((event: never) => void)[] = [];
        const ids = () => actor.getSnapshot().context.requests.map((request) => request.id);
        const pickId = (pick: number) => ids()[pick % Math.max(1, ids().length)] ?? "none";
        for (const step of commands) {
          if (step.kind === "submit") {
            submitted += 1;
            actor.send({ type: "user.submit", input: validGenerate({ n: step.n, prompt: step.valid ? PLANTED_PROMPT : "" }) });
          } else if (step.kind === "cancel") {
            const id = pickId(step.pick);
            const sendBack = boundary.live.get(id);
            if (sendBack) stale.push(sendBack as never);
            actor.send({ type: "user.cancel", id });
          } else if (step.kind === "retry") {
            const before = ids().length;
            const id = pickId(step.pick);
            const ended = actor.getSnapshot().context.requests.find((request) => request.id === id)?.ref.getSnapshot().status === "done";
            if (ended) submitted += 1;
            actor.send({ type: "user.retry", id });
            expect(ids().length).toBe(before + (ended ? 1 : 0));
          } else if (step.kind === "output") boundary.answer(pickId(step.pick), { type: "gateway.output", output: image(step.pick) });
          else if (step.kind === "done") boundary.answer(pickId(step.pick), { type: "gateway.done" });
          else if (step.kind === "fail") boundary.answer(pickId(step.pick), { type: "gateway.failed", failure: step.failure });
          else if (step.kind === "late") stale[step.pick % Math.max(1, stale.length)]?.({ type: "gateway.output", output: image(99) } as never);
          else if (step.kind === "tick") boundary.clock.increment(step.ms);
          else if (step.kind === "gateway") {
            gateway.send(step.event);
            boundary.setResolution(gateway.getSnapshot().context.resolution);
          } else actor.send({ type: "settings.changed", settings: { concurrency: step.concurrency, timeoutMs: step.timeoutMs } });
          await flush();

          const context = actor.getSnapshot().context;
          expect(new Set(ids()).size).toBe(ids().length);
          expect(context.requests).toHaveLength(submitted);
          // Lowering the limit never stops a running request, but nothing new starts above it.
          const startedNow = context.running.filter((id) => !runningBefore.includes(id));
          if (startedNow.length > 0) expect(context.running.length).toBeLessThanOrEqual(context.settings.concurrency);
          runningBefore = [...context.running];
          for (const id of [...context.running, ...context.queue]) {
            expect(context.requests.find((request) => request.id === id)?.ref.getSnapshot().status).toBe("active");
          }
        }
        const views = selectRequestViews(actor.getSnapshot(), boundary.now());
        // A running request is never rerouted: every attempt of a request uses one gateway.
        for (const view of views) {
          const kinds = new Set(boundary.calls.filter((call) => call.requestId === view.id).map((call) => call.kind));
          expect(kinds.size).toBeLessThanOrEqual(1);
          if (view.gateway) expect([...kinds]).toEqual(view.attempt > 0 ? [view.gateway.kind] : []);
          const label = view.gateway ? GATEWAY_LABELS[view.gateway.labelKey] : "";
          expect(`${JSON.stringify(view)} ${label}`).not.toMatch(/enterprise gateway/i);
        }
        for (const view of views) {
          expect(containsSecret(view, PLANTED_SECRETS)).toBeUndefined();
          if (view.phase === "cancelled") expect(view.outputs.some((output) => output.src.endsWith("99"))).toBe(false);
          const requestLogs = boundary.logs.filter((log) => log.requestId === view.id);
          checkLogInvariants(requestLogs, view.final);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
