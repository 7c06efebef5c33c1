import { createActor, fromCallback, fromPromise, SimulatedClock, waitFor, type ActorRefFrom, type AnyActorRef, type EventObject } from "xstate";
import { validateRequestInput } from "../../machines/rules/requestInput.schema.ts";
import type { Resolution } from "../../machines/rules/gatewayResolution.ts";
import type { GatewayCallEvent, GatewayFailure, ImageOutput } from "../../machines/gatewayCall.ts";
import type { RequestLogEvent } from "../../machines/logEvents.ts";
import type { GatewayInput } from "../../machines/gateway.machine.ts";
import { providePanelEffects, type HostEvent, type ProbeAnswer } from "../../machines/panel.machine.ts";
import { phaseOf, requestMachine, type CallGatewayInput, type RequestMachine, type RequestMachineInput } from "../../machines/request.machine.ts";
import { MESSAGES, type Pair } from "../../src/i18n/messages.ts";
import { selectRequestViews } from "../../machines/views.ts";

export const PLANTED_SECRETS = ["sk-live-PLANTEDKEY0123456789abcdef", "hf-upstream-token-PLANTED-9876"];
export const PLANTED_PROMPT = "A secret castle with planted-prompt-words 7c1f";

export const CUSTOM: Resolution = { status: "available", kind: "custom", labelKey: "custom", reason: "customConfigured" };
export const MANAGED: Resolution = { status: "available", kind: "managed", labelKey: "managed", reason: "managedAvailable" };

export const validGenerate = (overrides: Record<string, unknown> = {}) => ({
  operation: "generate",
  prompt: PLANTED_PROMPT,
  model: "gpt-image-1",
  size: "1024x1024",
  n: 1,
  ...overrides,
});

export const image = (index: number): ImageOutput => ({ src: `data:image/png;base64,iVBORw0KGgo${index}` });

export const failure = (overrides: Partial<GatewayFailure>): GatewayFailure => ({
  code: "server_error",
  message: "upstream failed",
  mayHaveRun: true,
  ...overrides,
});

/** Fakes at the boundaries the machines do not own: the gateway, the clock, the ids, the logger. */
export function createBoundary(resolution: Resolution = CUSTOM) {
  const clock = new SimulatedClock();
  const logs: RequestLogEvent[] = [];
  const calls: CallGatewayInput[] = [];
  const cancels: { requestId: string; kind: string }[] = [];
  const live = new Map<string, (event: GatewayCallEvent) => void>();
  let currentResolution = resolution;
  let nextId = 0;
  const probes: ((answer: ProbeAnswer) => void)[] = [];
  const probeAnswers: Promise<ProbeAnswer>[] = [];
  let hostSendBack: ((event: HostEvent) => void) | undefined;
  const providers = {
    actors: {
      resolveGateway: fromPromise<Resolution, { requestId: string }>(async () => currentResolution),
      callGateway: fromCallback<EventObject, CallGatewayInput>(({ sendBack, input }) => {
        calls.push(input);
        live.set(input.requestId, sendBack as (event: GatewayCallEvent) => void);
        return () => live.delete(input.requestId);
      }),
    },
    actions: {
      log: (_: unknown, event: RequestLogEvent) => void logs.push(event),
      cancelGatewayCall: (_: unknown, params: { requestId: string; kind: string }) => void cancels.push(params),
    },
  };
  return {
    clock,
    logs,
    calls,
    cancels,
    live,
    setResolution: (next: Resolution) => void (currentResolution = next),
    /** Sends an event from the running gateway call of `requestId`, if it still runs. */
    answer: (requestId: string, event: GatewayCallEvent) => live.get(requestId)?.(event),
    now: () => clock.now(),
    createId: () => `req-${String(++nextId).padStart(4, "0")}`,
    request: requestMachine().provide(providers),
    /** The root panel machine on the same fake gateway, clock and logger; probes wait for `probes`. */
    panel: providePanelEffects({
      callGateway: (input, sendBack) => {
        calls.push(input);
        live.set(input.requestId, sendBack);
        return () => live.delete(input.requestId);
      },
      cancelGatewayCall: (params) => void cancels.push(params),
      log: (event) => void logs.push(event),
      watchHost: (sendBack) => {
        hostSendBack = sendBack;
        return () => (hostSendBack = undefined);
      },
      probeSession: () => {
        const answer = new Promise<ProbeAnswer>((resolve) => probes.push(resolve));
        probeAnswers.push(answer);
        return answer;
      },
    }),
    /** One resolver per probe the panel started, in order (answering one that timed out does nothing). */
    probes,
    /** Answers probe `index`; resolves once the panel has taken the answer (or dropped it, if that
     * probe timed out): the panel's handler of the promise runs before this one. */
    answerProbe: async (index: number, answer: ProbeAnswer) => {
      probes[index]!(answer);
      await probeAnswers[index];
    },
    /** Sends a host fact as the watcher would. */
    host: (event: HostEvent) => hostSendBack?.(event),
    /** The gateway input under which the panel resolves as `resolution` did. */
    gatewayInput: (): GatewayInput =>
      resolution.status === "available" && resolution.kind === "managed"
        ? { mode: "auto", host: { managed: "unknown" }, custom: { valid: false, keySet: false }, flavour: "production" }
        : { mode: "custom", host: { managed: "absent" }, custom: { baseUrl: "https://images.example.com/v1", valid: true, keySet: true }, flavour: "production" },
  };
}

export type Boundary = ReturnType<typeof createBoundary>;

export function startRequest(boundary: Boundary, input: unknown, settings = { timeoutMs: 300_000, maxRetries: 2 }) {
  const machineInput: RequestMachineInput = {
    id: "req-1",
    input: validateRequestInput(input),
    settings,
    now: boundary.now,
    random: () => 0.5,
    secrets: PLANTED_SECRETS,
  };
  return createActor(boundary.request, { input: machineInput, clock: boundary.clock }).start();
}

export function startPanelActor(boundary: Boundary, settings = {}, gateway: GatewayInput = boundary.gatewayInput()) {
  return createActor(boundary.panel, {
    input: { gateway, settings, createId: boundary.createId, now: boundary.now, random: () => 0.5, secrets: PLANTED_SECRETS },
    clock: boundary.clock,
  }).start();
}

/** How long a test waits for a fact before it fails: the fakes answer at once, so only a bug waits this long. */
const WAIT_MS = 2_000;

/** Waits until the request has its gateway (it is no longer resolving): resolving the gateway is
 * the one promise a request waits on; every other step of the machines is synchronous. */
export const gatewayResolved = (actor: ActorRefFrom<RequestMachine>) => waitFor(actor, (snapshot) => phaseOf(snapshot) !== "resolving", { timeout: WAIT_MS });

/** Waits until `fact` holds, checked again at every snapshot anywhere in `actor`'s system (the
 * panel's requests and gateway included): XState's `waitFor` over the whole system. */
export function waitForFact(actor: AnyActorRef, fact: () => boolean, what = fact.toString()): Promise<void> {
  return new Promise((resolve, reject) => {
    if (fact()) return resolve();
    const timer = setTimeout(() => {
      watch.unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, WAIT_MS);
    const watch = actor.system.inspect((event) => {
      if (event.type !== "@xstate.snapshot" || !fact()) return;
      clearTimeout(timer);
      watch.unsubscribe();
      resolve();
    });
  });
}

/** A catalogue key's rendered words, English and Chinese (src/i18n/messages.ts); empty for a key the
 * catalogue lacks (the mock gateway's dev-only words are added where the panel mounts). */
export const rendered = (key: string): readonly string[] => (MESSAGES as Record<string, Pair | undefined>)[key] ?? [];

/** Words the panel must never show: the enterprise-only wording, in either language. */
export const ENTERPRISE_WORDING = /enterprise gateway|enterprise required|企业网关/i;

/** Waits until no request of the panel is resolving its gateway, so every request that can run has
 * its call at the fake gateway. */
export const requestsSettled = (panel: ActorRefFrom<ReturnType<typeof providePanelEffects>>) =>
  waitForFact(panel, () => selectRequestViews(panel.getSnapshot(), 0).every((view) => view.phase !== "resolving"), "no request resolving its gateway");

/** Asserts no value of `secrets` occurs anywhere in the JSON of `value`. */
export function containsSecret(value: unknown, secrets: readonly string[]): string | undefined {
  const json = JSON.stringify(value);
  return secrets.find((secret) => json.includes(secret));
}
