import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject } from "xstate";
import type { Resolution } from "../../machines/rules/gatewayResolution.ts";
import type { GatewayCallEvent, GatewayFailure, ImageOutput } from "../../machines/gatewayTypes.ts";
import type { RequestLogEvent } from "../../machines/logEvents.ts";
import type { GatewayInput } from "../../machines/gateway.machine.ts";
import { providePanelEffects, type HostEvent, type ProbeAnswer } from "../../machines/panel.machine.ts";
import { requestMachine, type CallGatewayInput, type RequestMachineInput } from "../../machines/request.machine.ts";
import { MESSAGES, type Pair } from "../../src/i18n/messages.ts";

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
    request: requestMachine.provide(providers),
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
      probeSession: () => new Promise<ProbeAnswer>((resolve) => probes.push(resolve)),
    }),
    /** One resolver per probe the panel started, in order (answering one that timed out does nothing). */
    probes,
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
    input,
    settings,
    now: boundary.now,
    random: () => 0.5,
    secrets: PLANTED_SECRETS,
  };
  return createActor(boundary.request, { input: machineInput, clock: boundary.clock }).start();
}

export function startOrchestrator(boundary: Boundary, settings = {}, gateway: GatewayInput = boundary.gatewayInput()) {
  return createActor(boundary.panel, {
    input: { gateway, settings, createId: boundary.createId, now: boundary.now, random: () => 0.5, secrets: PLANTED_SECRETS },
    clock: boundary.clock,
  }).start();
}

/** Lets promise-based actors (gateway resolution) settle. */
export const flush = async () => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

/** A catalogue key's rendered words, English and Chinese (src/i18n/messages.ts); empty for a key the
 * catalogue lacks (the mock gateway's dev-only words are added where the panel mounts). */
export const rendered = (key: string): readonly string[] => (MESSAGES as Record<string, Pair | undefined>)[key] ?? [];

/** Words the panel must never show: the enterprise-only wording, in either language. */
export const ENTERPRISE_WORDING = /enterprise gateway|enterprise required|企业网关/i;

/** Asserts no value of `secrets` occurs anywhere in the JSON of `value`. */
export function containsSecret(value: unknown, secrets: readonly string[]): string | undefined {
  const json = JSON.stringify(value);
  return secrets.find((secret) => json.includes(secret));
}
