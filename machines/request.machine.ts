import { assign, fromCallback, fromPromise, setup, type EventObject, type SnapshotFrom } from "xstate";
import { resolveGateway, type CustomEndpointFacts, type GatewayInputs, type GatewayMode, type Resolution } from "./rules/gatewayResolution.ts";
import type { EndpointDescription, FailureFacts, FailureReason, GatewayCallEvent, GatewayFailure, GatewayKind, ImageOutput, ImageSource } from "./gatewayCall.ts";
import type { AnswerEcho, Usage } from "./rules/gatewayAnswers.schema.ts";
import type { FixKey, GatewayLabelKey, HintKey, ReasonKey, SentenceKey } from "./labels.ts";
import { buildLogEvent, type LogEventName, type RequestLogEvent } from "./logEvents.ts";
import { describeProblems, type InputProblem, type InputValidation, type RequestInput } from "./rules/requestInput.schema.ts";
import { onFirstUse } from "./onFirstUse.ts";
import { summarize } from "./redact.ts";
import { isAutomaticallyRetryable, mayHaveBeenBilled, retryDelayMs } from "./rules/retryPolicy.ts";

export type RequestPhase =
  | "validating"
  | "queued"
  | "resolving"
  | "requesting"
  /** Cancelled by the user while a managed call runs: the host cannot stop it, so it may still
   * finish (and bill); images that arrive are kept, marked as arrived after the cancel. */
  | "cancelling"
  | "waitingRetry"
  | "succeeded"
  | "partiallySucceeded"
  | "failed"
  | "cancelled"
  | "timedOut";

export const FINAL_PHASES: readonly RequestPhase[] = ["succeeded", "partiallySucceeded", "failed", "cancelled", "timedOut"];

export interface RequestSettings {
  timeoutMs: number;
  maxRetries: number;
}

export interface RequestMachineInput {
  id: string;
  /** The input as the panel validated it, once, when the request was made. */
  input: InputValidation;
  /** The custom endpoint as configured when the request was made (used when it resolves to it). */
  endpoint?: EndpointDescription;
  /** Where a compare pinned it; absent: the gateway the panel's selection resolves. */
  target?: RequestTarget;
  /** A target naming a profile: that profile's facts when the request was made (it resolves from them, not the selection's). */
  targetFacts?: CustomEndpointFacts;
  settings: RequestSettings;
  now: () => number;
  random: () => number;
  /** Exact secret values that must never reach a log or a message (e.g. the typed API key). */
  secrets?: readonly string[];
}

/** A gateway a request is pinned to (a compare's column): resolved from the same facts as the
 * panel's selection, in this mode, so a signed-out gateway fails the request as it would the panel. */
export interface RequestTarget {
  mode: GatewayMode;
  /** With mode `custom`: the endpoint profile by id. The request resolves from that profile's facts
   * and goes out through its endpoint and key, whichever profile the panel uses. */
  profileId?: string;
}

export interface RequestError {
  code: GatewayFailure["code"] | "validation";
  summary: string;
  hint: HintKey;
  status?: number;
  mayHaveBeenBilled: boolean;
  problems?: InputProblem[];
  /** Why no gateway was usable, and what fixes it (label keys; the panel translates them). */
  reason?: ReasonKey;
  fix?: FixKey;
  /** The provider's wait, when it asked for one (Retry-After). */
  retryAfterMs?: number;
  /** The sentence for what happened, where the code alone does not say it. */
  sentence?: SentenceKey;
  /** A finer cause the backend reported (a stream cut, a broken connection, …). */
  cause?: FailureReason;
  /** The provider's (or host gateway's) own redacted words: the only text the card quotes. */
  detail?: string;
}

/** One failed attempt, as the diagnostics list it (facts only, no text). */
export interface AttemptFailure extends FailureFacts {
  attempt: number;
}

export interface RequestContext {
  id: string;
  /** Set once at creation: the input if it is valid. */
  input?: RequestInput;
  /** Set once at creation: why the input is invalid. */
  problems?: InputProblem[];
  endpoint?: EndpointDescription;
  target?: RequestTarget;
  targetFacts?: CustomEndpointFacts;
  settings: RequestSettings;
  now: () => number;
  random: () => number;
  secrets: readonly string[];
  createdAt: number;
  /** When the current attempt, or the wait before it, began. */
  phaseStartedAt: number;
  gateway?: { kind: GatewayKind; labelKey: GatewayLabelKey };
  attempt: number;
  nextAttemptAt?: number;
  outputs: ImageOutput[];
  /** What went wrong, while it is the outcome; a later success clears it (its attempts stay in `attemptFailures`). */
  error?: RequestError;
  lastFailure?: GatewayFailure;
  /** Every failed attempt, for the diagnostics. */
  attemptFailures: AttemptFailure[];
  providerRequestId?: string;
  endedAt?: number;
  /** When the user cancelled a managed call that could not be stopped. */
  cancelledAt?: number;
  started: boolean;
  /** The newest streamed partial image of the current attempt: a preview, never a result. */
  preview?: { seq: number; src: ImageSource };
  /** Token counts the answer reported. */
  usage?: Usage;
  /** What the answer says it made (size, quality, format, background, seed). */
  echo?: AnswerEcho;
  /** Why a streaming call was answered plainly (`refused`, `plain_answer`, `remembered`). */
  streamFallback?: string;
  timeline: { phase: RequestPhase; at: number; attempt: number }[];
}

export interface CallGatewayInput {
  requestId: string;
  kind: GatewayKind;
  input: RequestInput;
  attempt: number;
  /** The custom endpoint the request captured when it was made. */
  endpoint?: EndpointDescription;
}

export type RequestEvent =
  | GatewayCallEvent
  | { type: "request.start" }
  | { type: "user.cancel" };

/** What a request tells whoever runs it about its gateway calls (the panel derives session facts). */
export type RequestReport =
  | { type: "call.dispatched"; requestId: string; kind: GatewayKind }
  | { type: "call.answered"; requestId: string; kind: GatewayKind; outcome: "succeeded" | "signedOut" | "failed"; failure?: FailureFacts };

/** Read at the moment a request leaves the queue: the gateway machine's resolution, found in the
 * actor system under `GATEWAY_SYSTEM_ID`. */
export const GATEWAY_SYSTEM_ID = "gateway";

/** The facts a failure is worded from (no text). */
export const factsOf = (failure: Pick<GatewayFailure, "code" | "status" | "retryAfterMs" | "reason">): FailureFacts => ({
  code: failure.code,
  ...(failure.status !== undefined ? { status: failure.status } : {}),
  ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  ...(failure.reason ? { reason: failure.reason } : {}),
});

const errorFromFailure = (failure: GatewayFailure, secrets: readonly string[]): RequestError => ({
  code: failure.code,
  summary: summarize(failure.message || failure.code, 200, secrets),
  // A stream that broke is retried by hand for its final image; a broken connection is a network failure.
  hint: failure.reason === "stream_cut" ? "stream_cut" : failure.code,
  ...(failure.status !== undefined ? { status: failure.status } : {}),
  ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  ...(failure.reason ? { cause: failure.reason } : {}),
  ...(failure.providerText ? { detail: summarize(failure.providerText, 200, secrets) } : {}),
  mayHaveBeenBilled: mayHaveBeenBilled(failure),
});

const requestSetup = setup({
  types: {
    context: {} as RequestContext,
    events: {} as RequestEvent,
    input: {} as RequestMachineInput,
  },
  actors: {
    resolveGateway: fromPromise<Resolution, { requestId: string; target?: RequestTarget; targetFacts?: CustomEndpointFacts }>(async ({ system, input }) => {
      const gateway = system.get(GATEWAY_SYSTEM_ID) as { getSnapshot(): { context: GatewayInputs & { resolution: Resolution } } } | undefined;
      if (!gateway) throw new Error("No gateway selection in this actor system.");
      const { context } = gateway.getSnapshot();
      if (!input.target) return context.resolution;
      return resolveGateway({ mode: input.target.mode, host: context.host, custom: input.targetFacts ?? context.custom, flavour: context.flavour });
    }),
    callGateway: fromCallback<EventObject, CallGatewayInput>(() => undefined),
  },
  actions: {
    log: (_, _event: RequestLogEvent) => undefined,
    report: (_, _report: RequestReport) => undefined,
    cancelGatewayCall: (_, _params: { requestId: string; kind: GatewayKind }) => undefined,
    enterPhase: assign(({ context }, phase: RequestPhase) => ({
      phaseStartedAt: context.now(),
      timeline: [...context.timeline, { phase, at: context.now(), attempt: context.attempt }],
    })),
    rejectInvalidInput: assign(({ context }) => {
      const problems = context.problems ?? [];
      return { error: { code: "validation", summary: describeProblems(problems), hint: "validation", mayHaveBeenBilled: false, problems } satisfies RequestError };
    }),
    useResolvedGateway: assign((_, resolution: Resolution) =>
      resolution.status === "available" ? { gateway: { kind: resolution.kind, labelKey: resolution.labelKey } } : {},
    ),
    // The reason's English text stays in labels.ts (it names the mock, which production drops).
    failUnavailableGateway: assign((_, resolution: Resolution) => {
      const { reason, fix }: { reason: ReasonKey; fix: FixKey } =
        resolution.status === "unavailable" ? resolution : { reason: "noGateway", fix: "openSettings" };
      return {
        // Signed out is said, with its action, by the gateway status; the card only says what happened.
      error: {
          code: "gateway_unavailable",
          summary: reason === "signedOut" ? "Signed out of HaloForge." : "No usable image gateway.",
          hint: reason === "signedOut" ? "signed_out" : "gateway_unavailable",
          mayHaveBeenBilled: false,
          reason,
          ...(reason === "signedOut" ? {} : { fix }),
        } satisfies RequestError,
      };
    }),
    startAttempt: assign(({ context }) => ({ attempt: context.attempt + 1, nextAttemptAt: undefined, started: true, preview: undefined })),
    // Partials can overtake each other (the poll and the plugin event): only a newer one shows.
    keepPartial: assign(({ context, event }) =>
      event.type === "gateway.partial" && event.seq > (context.preview?.seq ?? 0) ? { preview: { seq: event.seq, src: event.src } } : {},
    ),
    keepOutput: assign(({ context, event }) =>
      event.type === "gateway.output"
        ? { outputs: [...context.outputs, context.cancelledAt === undefined ? event.output : { ...event.output, afterCancel: true }] }
        : {},
    ),
    markCancelRequested: assign(({ context }) => ({
      cancelledAt: context.now(),
      timeline: [...context.timeline, { phase: "cancelling" as const, at: context.now(), attempt: context.attempt }],
    })),
    recordAnswer: assign(({ context, event }) =>
      event.type === "gateway.done"
        ? {
            providerRequestId: event.providerRequestId ?? context.providerRequestId,
            ...(event.usage ? { usage: event.usage } : {}),
            ...(event.echo ? { echo: event.echo } : {}),
            ...(event.streamFallback ? { streamFallback: event.streamFallback } : {}),
          }
        : {},
    ),
    recordFailure: assign(({ context, event }) =>
      event.type === "gateway.failed"
        ? {
            lastFailure: event.failure,
            error: errorFromFailure(event.failure, context.secrets),
            attemptFailures: [...context.attemptFailures, { attempt: context.attempt, ...factsOf(event.failure) }],
            providerRequestId: event.failure.providerRequestId ?? context.providerRequestId,
          }
        : {},
    ),
    // The request succeeded: what earlier attempts hit is history (the diagnostics keep it), not its outcome.
    clearEarlierError: assign({ error: undefined }),
    recordEmptyAnswer: assign({
      error: { code: "invalid_response", summary: "The gateway answered without any image.", sentence: "noImage", hint: "invalid_response", mayHaveBeenBilled: true } satisfies RequestError,
    }),
    recordTimeout: assign(({ context }) => ({
      attemptFailures: [...context.attemptFailures, { attempt: context.attempt, code: "timeout" as const }],
      error: {
        code: "timeout",
        summary: `No answer within ${Math.round(context.settings.timeoutMs / 1000)} s.`,
        hint: "timeout",
        mayHaveBeenBilled: true,
      } satisfies RequestError,
    })),
    scheduleRetry: assign(({ context }) => ({
      nextAttemptAt: context.now() + retryDelay(context),
    })),
    markEnded: assign(({ context }) => ({ endedAt: context.now() })),
  },
  guards: {
    isValidInput: ({ context }) => context.input !== undefined,
    isAvailable: (_, resolution: Resolution) => resolution.status === "available",
    hasOutputs: ({ context }) => context.outputs.length > 0,
    hasAllOutputs: ({ context }) => context.outputs.length >= (context.input?.n ?? 1),
    shouldRetry: ({ context, event }) =>
      event.type === "gateway.failed" &&
      context.outputs.length === 0 &&
      isAutomaticallyRetryable(event.failure) &&
      context.attempt <= context.settings.maxRetries,
    // The transport gave up or was cancelled elsewhere: the same outcome as our own timer / cancel.
    isTransportTimeout: ({ event }) => event.type === "gateway.failed" && event.failure.code === "timeout",
    isTransportCancel: ({ event }) => event.type === "gateway.failed" && event.failure.code === "cancelled",
    isManaged: ({ context }) => context.gateway?.kind === "managed",
    wasCancelled: ({ context }) => context.cancelledAt !== undefined,
  },
  delays: {
    requestTimeout: ({ context }) => context.settings.timeoutMs,
    retryDelay: ({ context }) => Math.max(0, (context.nextAttemptAt ?? context.now()) - context.now()),
  },
});

/** Logs the request's started or terminal event through the injected `log` action. */
const logPhase = (phase: RequestPhase | "started") =>
  requestSetup.enqueueActions(({ context, enqueue }) => {
    // Retries re-enter "requesting"; only the first attempt starts the request.
    if (phase === "started" && context.attempt !== 1) return;
    const event = requestLogEvent(context, phase === "started" ? "started" : terminalLogName(phase), phase);
    if (event) enqueue({ type: "log", params: event });
  });

/** Tells the gateway to stop the call in flight: the native `cancel_request` for the custom
 * endpoint (the managed bridge has no cancel: a cancelled managed call is waited for instead). */
const cancelCall = {
  type: "cancelGatewayCall",
  params: ({ context }: { context: RequestContext }) => ({ requestId: context.id, kind: context.gateway?.kind ?? "mock" }),
} as const;

/** Tells the runner a call was sent, and how it was answered. */
const reportDispatched = {
  type: "report",
  params: ({ context }: { context: RequestContext }): RequestReport => ({ type: "call.dispatched", requestId: context.id, kind: context.gateway!.kind }),
} as const;
const reportAnswer = {
  type: "report",
  params: ({ context, event }: { context: RequestContext; event: RequestEvent | { type: string } }): RequestReport => {
    const base = { type: "call.answered" as const, requestId: context.id, kind: context.gateway!.kind };
    if (event.type === "gateway.done") return { ...base, outcome: "succeeded" };
    // A failure from the gateway, or our own timer's timeout.
    const failure = event.type === "gateway.failed" ? factsOf((event as Extract<RequestEvent, { type: "gateway.failed" }>).failure) : { code: "timeout" as const };
    return { ...base, outcome: failure.code === "signed_out" ? "signedOut" : "failed", failure };
  },
} as const;

/** A final state: it enters the timeline, stamps the end and logs the terminal event. */
const finalState = (phase: RequestPhase) =>
  ({ type: "final", entry: [{ type: "enterPhase", params: phase }, "markEnded", logPhase(phase)] }) as const;

/** One image request, from validation to a final state. Effects are injected by name. Built on first use. */
export const requestMachine = onFirstUse(() => requestSetup.createMachine({
  id: "request",
  context: ({ input }) => {
    const createdAt = input.now();
    const validation = input.input;
    return {
      id: input.id,
      ...(validation.ok ? { input: validation.input } : { problems: validation.problems }),
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      ...(input.target ? { target: input.target } : {}),
      ...(input.targetFacts ? { targetFacts: input.targetFacts } : {}),
      settings: input.settings,
      now: input.now,
      random: input.random,
      secrets: input.secrets ?? [],
      createdAt,
      phaseStartedAt: createdAt,
      attempt: 0,
      outputs: [],
      attemptFailures: [],
      started: false,
      timeline: [],
    };
  },
  initial: "validating",
  states: {
    validating: {
      entry: { type: "enterPhase", params: "validating" },
      always: [
        { guard: "isValidInput", target: "queued" },
        { target: "failed", actions: "rejectInvalidInput" },
      ],
    },
    queued: {
      entry: { type: "enterPhase", params: "queued" },
      on: { "request.start": "resolving", "user.cancel": "cancelled" },
    },
    resolving: {
      entry: { type: "enterPhase", params: "resolving" },
      // Its invoke is stopped on exit, so a resolution arriving later is ignored.
      on: { "user.cancel": "cancelled" },
      invoke: {
        id: "resolveGateway",
        src: "resolveGateway",
        input: ({ context }) => ({ requestId: context.id, ...(context.target ? { target: context.target } : {}), ...(context.targetFacts ? { targetFacts: context.targetFacts } : {}) }),
        onDone: [
          {
            guard: { type: "isAvailable", params: ({ event }) => event.output },
            target: "requesting",
            actions: [{ type: "useResolvedGateway", params: ({ event }) => event.output }],
          },
          { target: "failed", actions: { type: "failUnavailableGateway", params: ({ event }) => event.output } },
        ],
        onError: {
          target: "failed",
          actions: { type: "failUnavailableGateway", params: { status: "unavailable", reason: "noGateway", fix: "openSettings" } },
        },
      },
    },
    requesting: {
      entry: ["startAttempt", { type: "enterPhase", params: "requesting" }, logPhase("started"), reportDispatched],
      invoke: {
        id: "callGateway",
        src: "callGateway",
        input: ({ context }) => ({
          requestId: context.id,
          kind: context.gateway!.kind,
          input: context.input!,
          attempt: context.attempt,
          ...(context.endpoint ? { endpoint: context.endpoint } : {}),
        }),
      },
      after: {
        requestTimeout: [
          { guard: "wasCancelled", target: "cancelled" },
          { target: "timedOut", actions: ["recordTimeout", cancelCall, reportAnswer] },
        ],
      },
      on: {
        "gateway.output": { actions: "keepOutput" },
        "gateway.partial": { actions: "keepPartial" },
      },
      initial: "running",
      states: {
        running: {
          on: {
            // The managed bridge has no cancel: the call goes on, and what it brings is kept.
            "user.cancel": [
              { guard: "isManaged", target: "cancelling", actions: "markCancelRequested" },
              // Only here is a call in flight: the native side must hear about the cancel.
              { target: "#request.cancelled", actions: cancelCall },
            ],
            "gateway.done": [
              { guard: "hasAllOutputs", target: "#request.succeeded", actions: ["recordAnswer", "clearEarlierError", reportAnswer] },
              { guard: "hasOutputs", target: "#request.partiallySucceeded", actions: ["recordAnswer", "clearEarlierError", reportAnswer] },
              { target: "#request.failed", actions: ["recordAnswer", "recordEmptyAnswer", reportAnswer] },
            ],
            "gateway.failed": [
              { guard: "isTransportTimeout", target: "#request.timedOut", actions: ["recordFailure", reportAnswer] },
              { guard: "isTransportCancel", target: "#request.cancelled", actions: ["recordFailure", reportAnswer] },
              { guard: "shouldRetry", target: "#request.waitingRetry", actions: ["recordFailure", "scheduleRetry", reportAnswer] },
              { guard: "hasOutputs", target: "#request.partiallySucceeded", actions: ["recordFailure", reportAnswer] },
              { target: "#request.failed", actions: ["recordFailure", reportAnswer] },
            ],
          },
        },
        cancelling: {
          on: {
            "gateway.done": { target: "#request.cancelled", actions: ["recordAnswer", reportAnswer] },
            "gateway.failed": { target: "#request.cancelled", actions: reportAnswer },
          },
        },
      },
    },
    waitingRetry: {
      entry: { type: "enterPhase", params: "waitingRetry" },
      after: { retryDelay: "requesting" },
      on: { "user.cancel": "cancelled" },
    },
    succeeded: finalState("succeeded"),
    partiallySucceeded: finalState("partiallySucceeded"),
    failed: finalState("failed"),
    cancelled: finalState("cancelled"),
    timedOut: finalState("timedOut"),
  },
}));
export type RequestMachine = ReturnType<typeof requestMachine>;

function retryDelay(context: RequestContext): number {
  return retryDelayMs(context.attempt, context.lastFailure!, context.random);
}

function terminalLogName(phase: RequestPhase): LogEventName {
  if (phase === "cancelled") return "cancelled";
  return phase === "succeeded" || phase === "partiallySucceeded" ? "succeeded" : "failed";
}

/** The terminal log event of a request whose actor crashed after it reached a gateway. */
export const crashLogEvent = (context: RequestContext, summary: string): RequestLogEvent | undefined =>
  requestLogEvent({ ...context, error: { code: "internal", summary: summarize(summary, 200, context.secrets), hint: "internal", mayHaveBeenBilled: true } }, "failed", "failed");

// Logs only requests that reached a gateway: invalid input and "no gateway" never leave the plugin.
function requestLogEvent(context: RequestContext, name: LogEventName, status: string): RequestLogEvent | undefined {
  if (!context.started || !context.gateway || !context.input) return undefined;
  const { input } = context;
  return buildLogEvent(
    name,
    {
      requestId: context.id,
      gateway: context.gateway.kind,
      operation: input.operation,
      model: input.model,
      size: input.size,
      count: input.n,
      promptLength: input.prompt.length,
    },
    {
      status,
      elapsedMs: context.now() - context.createdAt,
      outputCount: context.outputs.length,
      ...(context.error?.status !== undefined ? { httpStatus: context.error.status } : {}),
      ...(name !== "started" && name !== "succeeded" && context.error ? { error: context.error.summary } : {}),
      ...(status === "partiallySucceeded" && context.error ? { error: context.error.summary } : {}),
      ...(context.providerRequestId ? { providerRequestId: context.providerRequestId } : {}),
      ...(context.usage ? { usage: context.usage } : {}),
      secrets: [...context.secrets, input.prompt],
    },
  );
}

/** The phase of a request snapshot (the nested `requesting` states are phases of their own). */
export function phaseOf(snapshot: SnapshotFrom<RequestMachine>): RequestPhase {
  const value = snapshot.value;
  if (typeof value === "string") return value as RequestPhase;
  return value.requesting === "cancelling" ? "cancelling" : "requesting";
}
