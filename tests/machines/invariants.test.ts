// Model-based and property tests: invariants that must hold on every path through the machines.
import fc from "fast-check";
import { createActor } from "xstate";
import { gatewayMachine, type GatewayEvent } from "../../machines/gateway.machine.ts";
import { describe, expect, it } from "vitest";
import type { GatewayFailure } from "../../machines/gatewayCall.ts";
import type { RequestLogEvent } from "../../machines/logEvents.ts";
import { FINAL_PHASES, phaseOf } from "../../machines/request.machine.ts";
import { selectRequestView, selectRequestViews } from "../../machines/views.ts";
import {
  MANAGED,
  PLANTED_PROMPT,
  PLANTED_SECRETS,
  containsSecret,
  createBoundary,
  failure,
  gatewayResolved,
  image,
  startPanelActor,
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
          // The panel sends nothing to an ended request (XState would only warn and drop it).
          const active = actor.getSnapshot().status === "active";
          if (step.kind === "start") active && actor.send({ type: "request.start" });
          else if (step.kind === "output") boundary.answer("req-1", { type: "gateway.output", output: image(1) });
          else if (step.kind === "done") boundary.answer("req-1", { type: "gateway.done" });
          else if (step.kind === "fail") boundary.answer("req-1", { type: "gateway.failed", failure: step.failure });
          else if (step.kind === "cancel") active && actor.send({ type: "user.cancel" });
          else boundary.clock.increment(step.ms);
          await gatewayResolved(actor);
          const phase = phaseOf(actor.getSnapshot());
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
