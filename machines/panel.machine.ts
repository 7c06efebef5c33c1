import {
  assign,
  fromCallback,
  fromPromise,
  sendParent,
  setup,
  type ActorRefFrom,
  type DoneActorEvent,
  type ErrorActorEvent,
  type EventObject,
} from "xstate";
import { gatewayMachine, type GatewayEvent, type GatewayInput, type GatewayMachine } from "./gateway.machine.ts";
import type { EndpointDescription, FailureCode, FailureFacts, GatewayCallEvent, GatewayKind } from "./gatewayCall.ts";
import type { RequestLogEvent } from "./logEvents.ts";
import { crashLogEvent, requestMachine, GATEWAY_SYSTEM_ID, type CallGatewayInput, type RequestMachine, type RequestMachineInput, type RequestReport, type RequestSettings, type RequestTarget } from "./request.machine.ts";
import { onFirstUse } from "./onFirstUse.ts";
import { MAX_BATCH } from "./rules/batchExpansion.ts";
import { COMPARE_TARGETS, type BatchItem } from "./rules/batchPlan.ts";
import { summarize } from "./redact.ts";
import { createRequestId } from "./requestId.ts";
import { validateRequestInput, type InputValidation, type RequestInput } from "./rules/requestInput.schema.ts";

export type RequestRef = ActorRefFrom<RequestMachine>;

export interface QueueSettings extends RequestSettings {
  concurrency: number;
}

export const QUEUE_DEFAULTS: QueueSettings = { concurrency: 2, timeoutMs: 300_000, maxRetries: 2 };

/** How session probes are paced: coalesced for `debounceMs`, given up after `timeoutMs`. */
export interface ProbeSettings {
  debounceMs: number;
  timeoutMs: number;
}

export const PROBE_DEFAULTS: ProbeSettings = { debounceMs: 400, timeoutMs: 8_000 };

/** A message the panel words: an i18n key and its values (the panel's catalogue types the key). */
export interface MessageRef {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * The native backend's answer about a profile's API key: only whether one is set and where it is
 * kept; `adopted` answers the one-time move of an older version's key (false: there was none).
 */
export type KeyAnswer = { ok: true; apiKeySet: boolean; place?: string; adopted?: boolean } | { ok: false; error: MessageRef };
/** Key commands name their profile; a key is saved for the origin of `baseUrl`, and an older version's key is adopted for it. */
export type KeyCommand =
  | { command: "status"; profileId: string }
  | { command: "clear"; profileId: string }
  | { command: "save"; profileId: string; baseUrl: string; apiKey: string }
  | { command: "adopt"; profileId: string; baseUrl: string };

/** What the panel knows of one profile's API key: set or not (unknown until the first answer), where, and the last command's refusal. */
export interface KeyState {
  set?: boolean;
  place?: string;
  error?: MessageRef;
}

/** A connection test's answer: its words, and what it proved about the endpoint (absent when the test could not run). */
export interface ConnectionAnswer {
  ok: boolean;
  message: MessageRef;
  outcome?: { ok: true } | { ok: false; failure: FailureFacts };
  /** The models the endpoint listed, when it lists them (`image`: whether the listing says it makes images). */
  models?: { id: string; image: boolean | null }[];
  fetchedAt?: number;
}

export interface RequestEntry {
  id: string;
  ref: RequestRef;
  /** The validated input (a retry sends it again); absent when the input was refused. */
  input?: RequestInput;
  /** Set when the request's actor crashed: it ended failed with this summary. */
  crashed?: string;
  /** When its input was accepted, under which settings: the same input again within
   * `SAME_INPUT_MS`, under the same settings, is one request. */
  acceptedAt?: number;
  settingsVersion?: number;
  /** The batch or compare it was sent in. */
  batchId?: string;
}

/** A batch (many prompts) or a compare (one prompt, two to four targets) sent with one click. */
export interface BatchEntry {
  id: string;
  kind: "batch" | "compare";
  /** Its requests in the order they were sent. */
  ids: string[];
  /** The compare's request the user kept. */
  keptId?: string;
}


/** A second submit of the same prompt and options this soon after the first asks nothing more. */
export const SAME_INPUT_MS = 1_000;

/**
 * One free probe of the host session: the bridge's saved-output listing. A success proves the
 * session, a sign-in refusal proves signed out, anything else (an error, a malformed answer, no
 * answer in time) proves nothing.
 */
export interface ProbeAnswer {
  fact: "verified" | "signedOut" | "unknown";
  /** The listing, when it succeeded: what reload recovery matches interrupted requests against. */
  outputs?: ListedOutput[];
}

/** One saved gateway output as the listing describes it (only what recovery needs). */
export interface ListedOutput {
  url: string;
  model?: string;
  createdAt?: number;
  /** `WxH`, when the listing says how large the image is (the 0.2.16 host does not). */
  size?: string;
}

export interface PanelContext {
  /** Every request the panel shows, oldest first. */
  requests: RequestEntry[];
  /** Every batch and compare sent, oldest first. */
  batches: BatchEntry[];
  /** Valid requests waiting for a free slot, in order. */
  queue: string[];
  running: string[];
  settings: QueueSettings;
  probe: ProbeSettings;
  createId: () => string;
  now: () => number;
  random: () => number;
  secrets: readonly string[];
  /** Order numbers of session facts (see the gateway machine's `session.fact`). */
  seq: number;
  /** The order number each request's managed call got when it was sent. */
  dispatched: Record<string, number>;
  /** The order number of the probe in flight. */
  probeSeq: number;
  /** A probe was asked for while one ran: run one more when it ends. */
  probeAgain: boolean;
  gatewayInput: GatewayInput;
  /** Whether the host's bridge is there (the watcher says when that changes). */
  bridge: boolean;
  /** The panel is going away (page hidden for good, unmount): nothing starts any more. */
  stopping: boolean;
  /** Counts settings changes: a request accepted under other settings (another gateway, say) never
   * holds back the same input (`SAME_INPUT_MS`). */
  settingsVersion: number;
  /** The custom endpoint as configured now: each request captures it when it is made. */
  endpoint?: EndpointDescription;
  /** Per profile id. */
  keys: Record<string, KeyState>;
  /** The newest connection test's answer, and which endpoint it tested (`testedEndpoint`). */
  connection?: ConnectionAnswer;
  connectionFor?: string;
  /** The endpoint a connection test in flight is testing. */
  testing?: string;
}

export interface PanelInput {
  gateway: GatewayInput;
  settings?: Partial<QueueSettings>;
  probe?: Partial<ProbeSettings>;
  /** Defaults to a random UUID per request. */
  createId?: () => string;
  now: () => number;
  random: () => number;
  secrets?: readonly string[];
  endpoint?: EndpointDescription;
}

/** Host facts the watcher reports: the bridge appeared or went away; the panel came into view. */
export type HostEvent = { type: "host.bridge"; present: boolean } | { type: "host.focus" } | { type: "panel.stopping" };

export type PanelEvent =
  | { type: "user.submit"; input: unknown }
  /** Many requests with one click, queued in order under the same concurrency limit. */
  | { type: "user.submitBatch"; kind: BatchEntry["kind"]; items: BatchItem[] }
  /** Drops the batch's queued requests and cancels its running ones (a managed one may still bill). */
  | { type: "user.cancelBatch"; batchId: string }
  /** The compare result the user keeps (the others stay in history). */
  | { type: "user.keep"; id: string }
  | { type: "user.cancel"; id: string }
  /** Drops every request still waiting in the queue; running ones are untouched. */
  | { type: "user.cancelQueued" }
  | { type: "user.retry"; id: string }
  | { type: "user.remove"; id: string }
  | { type: "user.checkSession" }
  | { type: "settings.changed"; settings?: Partial<QueueSettings>; gateway?: Extract<GatewayEvent, { type: "settings.changed" }>; endpoint?: EndpointDescription }
  | { type: "notice.dismissed" }
  /** A connection test of the custom endpoint as configured: it answered, or how it failed. */
  | { type: "custom.tested"; outcome: { ok: true } | { ok: false; failure: FailureFacts } }
  /** Ask the native backend whether a profile's key is set (after the first paint, and when settings open). */
  | { type: "key.check"; profileId: string }
  | { type: "user.saveKey"; profileId: string; baseUrl: string; apiKey: string }
  /** Also sent when the profile is deleted: its key goes with it. */
  | { type: "user.clearKey"; profileId: string }
  /** Move an older version's key (kept without a profile) to this profile, once. */
  | { type: "key.adopt"; profileId: string; baseUrl: string }
  | { type: "key.answered"; command: KeyCommand["command"]; profileId: string; baseUrl?: string; answer: KeyAnswer }
  /** Test an endpoint profile (the one settings edit), else the one new requests go to. */
  | { type: "user.testConnection"; endpoint?: EndpointDescription }
  | { type: "connection.answered"; tested: string; answer: ConnectionAnswer }
  | HostEvent
  | RequestReport;

/** What the panel tells its owner (history, recovery): only validated input, never raw text. */
export type PanelEmitted =
  /** `batch`: the batch it was sent in and its place there (a batch's requests share `createdAt`). */
  | { type: "request.accepted"; id: string; createdAt: number; input: RequestInput; batch?: { id: string; index: number; kind: BatchEntry["kind"] } }
  /** The user kept this result of its compare. */
  | { type: "request.kept"; id: string; batchId: string }
  | { type: "request.ended"; id: string }
  /** A call of the request went out on this gateway (a managed one may be recovered after a reload). */
  | { type: "request.sent"; id: string; kind: GatewayKind }
  | { type: "outputs.listed"; outputs: ListedOutput[] }
  /** A profile's key is now kept for the origin of `baseUrl` (saved, or an older version's adopted). */
  | { type: "key.stored"; profileId: string; baseUrl: string }
  /** A profile's key was cleared; `adopt` with none to move: the one-time move is settled. */
  | { type: "key.cleared"; profileId: string }
  | { type: "key.adoptSettled"; profileId: string };

const sanitizeSettings = (settings: QueueSettings): QueueSettings => ({
  concurrency: Math.max(1, Math.floor(settings.concurrency)),
  timeoutMs: Math.max(1_000, settings.timeoutMs),
  maxRetries: Math.max(0, Math.floor(settings.maxRetries)),
});

const isRunning = (entry: RequestEntry) => entry.ref.getSnapshot().status === "active" && !entry.crashed;
const findEntry = (context: PanelContext, id: string) => context.requests.find((request) => request.id === id);
/** Ended (final, or crashed): only these can be retried or removed. */
const endedEntry = (context: PanelContext, id: string) => {
  const entry = findEntry(context, id);
  return entry && !isRunning(entry) ? entry : undefined;
};

/** What the panel asks of the native backend, beside image calls. */
export type NativeCommandEvent = ({ type: "key.command" } & KeyCommand) | { type: "connection.test"; endpoint: EndpointDescription };

/** Which endpoint a connection test speaks of: its answer counts only while this is unchanged. */
export const testedEndpoint = (endpoint: EndpointDescription | undefined) =>
  endpoint ? [endpoint.profileId, endpoint.baseUrl, endpoint.allowInsecureHttp, endpoint.auth, endpoint.dialect, endpoint.deployment, endpoint.apiVersion].join("\n") : undefined;

const panelSetup = setup({
  types: {
    context: {} as PanelContext,
    events: {} as PanelEvent | DoneActorEvent | ErrorActorEvent,
    input: {} as PanelInput,
    emitted: {} as PanelEmitted,
  },
  // Getters: the machines are built when the panel's machine is provided its effects, not when this module loads.
  actors: {
    get gateway() {
      return gatewayMachine();
    },
    get request() {
      return requestMachine();
    },
    /** Watches the bridge, window focus and visibility; sends `HostEvent`s. Provided by the panel. */
    hostWatcher: fromCallback<EventObject>(() => undefined),
    /** One saved-output listing (free). Provided by the panel. */
    probeSession: fromPromise<ProbeAnswer>(async () => ({ fact: "unknown" })),
    /** Runs key commands and connection tests it receives; sends back `key.answered` and `connection.answered`. Provided by the panel. */
    nativeCommands: fromCallback<NativeCommandEvent>(() => undefined),
  },
  actions: {
    /** The request machine's `log`, for the one event the panel writes itself (a crash). */
    log: (_, _event: RequestLogEvent) => undefined,
  },
  delays: {
    probeDebounce: ({ context }) => context.probe.debounceMs,
    probeTimeout: ({ context }) => context.probe.timeoutMs,
  },
  guards: {
    bridgePresent: ({ context }) => context.bridge,
    probeAgain: ({ context }) => context.probeAgain,
  },
});

const gatewayOf = (system: { get(id: string): unknown }) => system.get(GATEWAY_SYSTEM_ID) as ActorRefFrom<GatewayMachine> | undefined;

/** Whether the same validated input was accepted less than `SAME_INPUT_MS` ago under the same
 * settings (a double click); a retry is not held back by the request it retries, only by another
 * retry of it. */
const askedJustNow = (context: PanelContext, input: RequestInput, now: number, retried?: string) => {
  // The prompt first: cheap, and it tells most inputs apart without serialising them (an edit's
  // references can be megabytes).
  const recent = context.requests.filter(
    (entry) =>
      entry.id !== retried &&
      entry.settingsVersion === context.settingsVersion &&
      entry.acceptedAt !== undefined &&
      now - entry.acceptedAt < SAME_INPUT_MS &&
      entry.input?.prompt === input.prompt,
  );
  if (recent.length === 0) return false;
  const asked = asText(input);
  return recent.some((entry) => {
    const earlier = entry.input && asText(entry.input);
    return earlier?.text === asked.text && earlier.blobs.every((blob, index) => blob === asked.blobs[index]);
  });
};

/** An input as text to compare, and its images: an edit's images are the same only as the same Blobs. */
const asText = (input: RequestInput) => {
  const blobs: Blob[] = [];
  const text = JSON.stringify(input, (_key, value: unknown) => (value instanceof Blob ? (blobs.push(value), "blob") : value));
  return { text, blobs };
};

/** Spawns a request for a submit, or for a retry of an ended one (a new request, new ID: the user
 * chose to be billed again; a running one is never retried, so a double click never bills twice).
 * Valid input is announced with its validated form and queued; refused input only shows its card. */
const submitRequest = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (context.stopping) return;
  // Validated once, here: a retry sends the input its request was accepted with.
  const retried = event.type === "user.retry" ? endedEntry(context, event.id)?.input : undefined;
  const validation: InputValidation | undefined =
    event.type === "user.submit" ? validateRequestInput(event.input) : retried ? { ok: true, input: retried } : undefined;
  if (!validation) return;
  const input = validation.ok ? validation.input : undefined;
  const now = context.now();
  if (input && askedJustNow(context, input, now, event.type === "user.retry" ? event.id : undefined)) return;
  const id = context.createId();
  enqueue.assign(({ spawn }) => {
    const entry = spawnEntry((child, input) => spawn("request", { id: child, input }), context, { id, validation, now });
    return { requests: [...context.requests, entry], queue: input ? [...context.queue, id] : context.queue };
  });
  if (input) enqueue.emit({ type: "request.accepted", id, createdAt: now, input });
});

type SpawnRequest = (id: string, input: RequestMachineInput) => RequestRef;

/** A request actor for validated (or refused) input: it keeps the settings and endpoint it was
 * created with, so later changes never reroute it. */
const spawnEntry = (spawnRequest: SpawnRequest, context: PanelContext, made: { id: string; validation: InputValidation; now: number; batchId?: string; target?: RequestTarget }): RequestEntry => {
  const { id, validation, now, batchId, target } = made;
  const ref = spawnRequest(id, {
    id,
    input: validation,
    settings: { timeoutMs: context.settings.timeoutMs, maxRetries: context.settings.maxRetries },
    ...(context.endpoint ? { endpoint: context.endpoint } : {}),
    ...(target ? { target } : {}),
    now: context.now,
    random: context.random,
    secrets: context.secrets,
  });
  const input = validation.ok ? validation.input : undefined;
  return { id, ref, ...(input ? { input, acceptedAt: now, settingsVersion: context.settingsVersion } : {}), ...(batchId ? { batchId } : {}) };
};

/** Whether a batch's size fits its kind: 1 to `MAX_BATCH` requests, a compare 2 to 4. The composer
 * says why before it sends; anything else reaching here is dropped whole, never cut. */
const batchFits = (kind: BatchEntry["kind"], count: number) =>
  kind === "compare" ? count >= COMPARE_TARGETS.min && count <= COMPARE_TARGETS.max : count >= 1 && count <= MAX_BATCH;

/**
 * A batch or compare: every item is validated and spawned at once, in order, under one batch id,
 * and valid ones queue behind what already waits (the concurrency limit is the panel's). The same
 * batch clicked again within `SAME_INPUT_MS` asks nothing more; repeated prompts inside one batch
 * are separate requests, as asked.
 */
const submitBatch = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.submitBatch" || context.stopping || !batchFits(event.kind, event.items.length)) return;
  const now = context.now();
  const made = event.items.map((item) => ({ id: context.createId(), validation: validateRequestInput(item.input), target: item.target }));
  if (made.every(({ validation }) => validation.ok && askedJustNow(context, validation.input, now))) return;
  const batchId = context.createId();
  enqueue.assign(({ spawn }) => {
    const entries = made.map((item) => spawnEntry((child, input) => spawn("request", { id: child, input }), context, { ...item, now, batchId }));
    return {
      requests: [...context.requests, ...entries],
      queue: [...context.queue, ...entries.filter((entry) => entry.input).map((entry) => entry.id)],
      batches: [...context.batches, { id: batchId, kind: event.kind, ids: entries.map((entry) => entry.id) }],
    };
  });
  for (const [index, { id, validation }] of made.entries()) if (validation.ok) enqueue.emit({ type: "request.accepted", id, createdAt: now, input: validation.input, batch: { id: batchId, index, kind: event.kind } });
});

/** Cancels a batch: queued requests end cancelled (nothing sent), running ones are cancelled as
 * one by one would be (a managed call may still finish and bill; its card says so). */
const cancelBatch = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.cancelBatch") return;
  for (const entry of context.requests) if (entry.batchId === event.batchId && isRunning(entry)) enqueue.sendTo(entry.ref, { type: "user.cancel" });
});

/** Keeps one result of a compare (once it ended); keeping another moves the mark. */
const keepResult = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.keep") return;
  const entry = endedEntry(context, event.id);
  const batch = entry?.batchId && context.batches.find((candidate) => candidate.id === entry.batchId && candidate.kind === "compare");
  if (!batch) return;
  enqueue.assign({ batches: context.batches.map((candidate) => (candidate === batch ? { ...candidate, keptId: event.id } : candidate)) });
  enqueue.emit({ type: "request.kept", id: event.id, batchId: batch.id });
});

/** Starts queued requests while slots are free; never once the panel is stopping. */
const startQueued = panelSetup.enqueueActions(({ context, enqueue }) => {
  if (context.stopping) return;
  const queue = [...context.queue];
  const running = [...context.running];
  while (running.length < context.settings.concurrency && queue.length > 0) {
    const id = queue.shift()!;
    const entry = findEntry(context, id);
    if (!entry || !isRunning(entry)) continue;
    running.push(id);
    enqueue.sendTo(entry.ref, { type: "request.start" });
  }
  enqueue.assign({ queue, running });
});

const settle = (context: PanelContext, id: string) => ({
  queue: context.queue.filter((queued) => queued !== id),
  running: context.running.filter((running) => running !== id),
  dispatched: Object.fromEntries(Object.entries(context.dispatched).filter(([key]) => key !== id)),
});

/** A request reached its final state: free its slot and say it ended. */
const requestEnded = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  const id = (event as DoneActorEvent).actorId;
  if (!findEntry(context, id)) return;
  enqueue.assign(settle(context, id));
  enqueue.emit({ type: "request.ended", id });
});

/** A request's actor threw: it ends failed, visibly, and can be retried or removed like any other. */
const requestCrashed = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  const { actorId: id, error } = event as ErrorActorEvent;
  if (!findEntry(context, id)) return;
  // Thrown text is untrusted: redacted like every string that leaves the plugin.
  const summary = summarize((error instanceof Error ? error.message : String(error)) || "The request stopped unexpectedly.", 200, context.secrets);
  // It started (and logged `started`) but will never log its end: the panel logs it as failed.
  const entry = findEntry(context, id)!;
  const terminal = crashLogEvent(entry.ref.getSnapshot().context, summary);
  if (terminal) enqueue({ type: "log", params: terminal });
  enqueue.assign({
    ...settle(context, id),
    requests: context.requests.map((request) => (request.id === id ? { ...request, crashed: summary } : request)),
  });
  enqueue.emit({ type: "request.ended", id });
});

/** Session facts from the requests' managed calls, and custom endpoint facts from its calls, in
 * order (see the gateway's `session.fact` and `custom.fact`): a success counts from when its call
 * was sent, a failure from when it arrived. */
const recordCall = panelSetup.enqueueActions(({ context, event, enqueue, system }) => {
  const gateway = gatewayOf(system);
  if (event.type === "call.dispatched") {
    if (event.kind !== "mock") enqueue.assign({ seq: context.seq + 1, dispatched: { ...context.dispatched, [event.requestId]: context.seq + 1 } });
    enqueue.emit({ type: "request.sent", id: event.requestId, kind: event.kind });
    return;
  }
  if (event.type !== "call.answered" || !gateway) return;
  if (event.kind === "custom") {
    const sent = context.dispatched[event.requestId];
    if (event.outcome === "succeeded" && sent !== undefined) enqueue.sendTo(gateway, { type: "custom.fact", seq: sent, outcome: { ok: true } });
    if (event.outcome !== "succeeded" && event.failure && !NOT_ABOUT_THE_ENDPOINT.includes(event.failure.code)) {
      enqueue.assign({ seq: context.seq + 1 });
      enqueue.sendTo(gateway, { type: "custom.fact", seq: context.seq + 1, outcome: { ok: false, failure: event.failure } });
    }
    return;
  }
  if (event.kind !== "managed") return;
  if (event.outcome === "succeeded") {
    const seq = context.dispatched[event.requestId];
    if (seq !== undefined) enqueue.sendTo(gateway, { type: "session.fact", fact: "verified", seq });
  } else if (event.outcome === "signedOut") {
    enqueue.assign({ seq: context.seq + 1 });
    enqueue.sendTo(gateway, { type: "session.fact", fact: "signedOut", seq: context.seq + 1 });
  }
});

/** Failures that say nothing about whether the endpoint works: a cancel, input the provider or we
 * refused, our own settings, a fault inside the plugin. */
const NOT_ABOUT_THE_ENDPOINT: readonly FailureCode[] = ["cancelled", "invalid_request", "payload_too_large", "invalid_config", "internal"];

/** A connection test's outcome is a custom endpoint fact from when it arrived. */
const customTested = panelSetup.enqueueActions(({ context, event, enqueue, system }) => {
  const gateway = gatewayOf(system);
  if (!gateway || event.type !== "custom.tested") return;
  if (!event.outcome.ok && NOT_ABOUT_THE_ENDPOINT.includes(event.outcome.failure.code)) return;
  enqueue.assign({ seq: context.seq + 1 });
  enqueue.sendTo(gateway, { type: "custom.fact", seq: context.seq + 1, outcome: event.outcome });
});

const cancelRequest = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.cancel") return;
  const entry = findEntry(context, event.id);
  // A cancel that crosses the request's end is a no-op.
  if (entry && isRunning(entry)) enqueue.sendTo(entry.ref, { type: "user.cancel" });
});

/** Cancels every queued request (they end `cancelled`, nothing was sent); running ones go on. */
const cancelQueued = panelSetup.enqueueActions(({ context, enqueue }) => {
  for (const id of context.queue) {
    const entry = findEntry(context, id);
    if (entry && isRunning(entry)) enqueue.sendTo(entry.ref, { type: "user.cancel" });
  }
});

/**
 * The panel is going away (the page is hidden for good, or the panel unmounts). Every request actor
 * stops where it is, so none starts, retries or reports again: a call in flight is abandoned (the
 * gateway may still finish and bill it; history says so after a reload) and queued requests stay
 * unsent. A request ending here would free its slot for the next one, which would then go out
 * untracked while the page tears down.
 */
const stopAll = panelSetup.enqueueActions(({ context, enqueue }) => {
  if (context.stopping) return;
  enqueue.assign({ stopping: true });
  for (const entry of context.requests) if (!entry.crashed) enqueue.stopChild(entry.ref);
});

/** Drops an ended request from the list and stops its actor, so long sessions do not pile up. */
const removeRequest = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.remove") return;
  const entry = endedEntry(context, event.id);
  if (!entry) return;
  if (!entry.crashed) enqueue.stopChild(entry.ref);
  enqueue.assign({ requests: context.requests.filter((request) => request.id !== event.id) });
});

const keyCommandOf = (event: PanelEvent): KeyCommand | undefined => {
  switch (event.type) {
    case "user.saveKey":
      return { command: "save", profileId: event.profileId, baseUrl: event.baseUrl, apiKey: event.apiKey };
    case "user.clearKey":
      return { command: "clear", profileId: event.profileId };
    case "key.check":
      return { command: "status", profileId: event.profileId };
    case "key.adopt":
      return { command: "adopt", profileId: event.profileId, baseUrl: event.baseUrl };
    default:
      return undefined;
  }
};

/** Key commands go to the native backend; an empty key is refused here, with the reason. */
const runKeyCommand = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type === "user.saveKey" && !event.apiKey) {
    return void enqueue.assign({ keys: { ...context.keys, [event.profileId]: { ...context.keys[event.profileId], error: { key: "key.empty" } } } });
  }
  // A key is saved for one address: without one it would have nowhere to go.
  if (event.type === "user.saveKey" && !event.baseUrl) {
    return void enqueue.assign({ keys: { ...context.keys, [event.profileId]: { ...context.keys[event.profileId], error: { key: "key.needsBaseUrl" } } } });
  }
  const command = keyCommandOf(event as PanelEvent);
  if (command) enqueue.sendTo("nativeCommands", { type: "key.command", ...command });
});

/** The backend's answer about a profile's key; whether the resolved profile's is set is a fact for gateway selection. */
const applyKeyAnswer = panelSetup.enqueueActions(({ context, event, enqueue, system }) => {
  if (event.type !== "key.answered") return;
  const { answer, profileId } = event;
  if (!answer.ok) return void enqueue.assign({ keys: { ...context.keys, [profileId]: { ...context.keys[profileId], error: answer.error } } });
  enqueue.assign({ keys: { ...context.keys, [profileId]: { set: answer.apiKeySet, ...(answer.place ? { place: answer.place } : {}) } } });
  if ((event.command === "save" || (event.command === "adopt" && answer.adopted)) && event.baseUrl !== undefined) enqueue.emit({ type: "key.stored", profileId, baseUrl: event.baseUrl });
  if (event.command === "clear") enqueue.emit({ type: "key.cleared", profileId });
  if (event.command === "adopt") enqueue.emit({ type: "key.adoptSettled", profileId });
  const gateway = gatewayOf(system);
  const custom = gateway?.getSnapshot().context.custom;
  if (gateway && custom && custom.profileId === profileId && custom.keySet !== answer.apiKeySet) enqueue.sendTo(gateway, { type: "settings.changed", custom: { ...custom, keySet: answer.apiKeySet } });
});

const testConnection = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  const endpoint = (event.type === "user.testConnection" && event.endpoint) || context.endpoint;
  if (!endpoint) return;
  enqueue.assign({ testing: testedEndpoint(endpoint) });
  enqueue.sendTo("nativeCommands", { type: "connection.test", endpoint });
});

/** What a test proved counts only for the endpoint it tested: a late answer for another is dropped. */
const applyConnectionAnswer = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "connection.answered") return;
  if (context.testing === event.tested) enqueue.assign({ testing: undefined });
  enqueue.assign({ connection: event.answer, connectionFor: event.tested });
  // Only a test of the endpoint new requests go to says something about the gateway status.
  if (event.tested === testedEndpoint(context.endpoint) && event.answer.outcome) enqueue.raise({ type: "custom.tested", outcome: event.answer.outcome });
});

/** New settings: the queue's, the endpoint new requests capture, and what the gateway resolves from. */
const applySettings = panelSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "settings.changed") return;
  const endpoint = event.endpoint ?? context.endpoint;
  // A connection result of the endpoint new requests go to goes when that changes.
  const moved = context.connectionFor === testedEndpoint(context.endpoint) && testedEndpoint(endpoint) !== testedEndpoint(context.endpoint);
  enqueue.assign({
    settingsVersion: context.settingsVersion + 1,
    ...(event.settings ? { settings: sanitizeSettings({ ...context.settings, ...event.settings }) } : {}),
    ...(event.endpoint ? { endpoint: event.endpoint } : {}),
    ...(moved ? { connection: undefined, connectionFor: undefined } : {}),
  });
});

const forwardToGateway = panelSetup.enqueueActions(({ context, event, enqueue, system }) => {
  if (event.type === "host.bridge") enqueue.assign({ bridge: event.present });
  const gateway = gatewayOf(system);
  if (!gateway) return;
  if (event.type === "host.bridge" || event.type === "notice.dismissed") enqueue.sendTo(gateway, event);
  if (event.type !== "settings.changed" || !event.gateway) return;
  // Whether a key is set is the backend's answer once there is one.
  const { custom } = event.gateway;
  const keySet = custom?.profileId !== undefined ? context.keys[custom.profileId]?.set : undefined;
  enqueue.sendTo(gateway, custom && keySet !== undefined ? { ...event.gateway, custom: { ...custom, keySet } } : event.gateway);
});

/** The probe's answer as a session fact; a success counts from when the probe was sent. */
const applyProbe = panelSetup.enqueueActions(({ context, event, enqueue, system }) => {
  const answer = (event as DoneActorEvent<ProbeAnswer>).output;
  const gateway = gatewayOf(system);
  if (!gateway || !answer) return;
  if (answer.fact === "verified") enqueue.sendTo(gateway, { type: "session.fact", fact: "verified", seq: context.probeSeq });
  if (answer.fact === "signedOut") {
    enqueue.assign({ seq: context.seq + 1 });
    enqueue.sendTo(gateway, { type: "session.fact", fact: "signedOut", seq: context.seq + 1 });
  }
  if (answer.outputs) enqueue.emit({ type: "outputs.listed", outputs: answer.outputs });
});

/**
 * The panel's core: gateway selection (`systemId` "gateway"), every request and its queue (at
 * most `concurrency` running), host facts from the watcher, and free session probes. Effects come
 * from `.provide(...)`: `hostWatcher`, `probeSession`, `nativeCommands` (the key and connection
 * commands, whose answers are facts for gateway selection), and the request machine's
 * `callGateway`, `cancelGatewayCall` and `log` (see `providePanelEffects`). Requests are never dropped: each
 * stays in `requests` until the user removes it after it ended. Built on first use.
 */
export const panelMachine = onFirstUse(() => panelSetup.createMachine({
  id: "panel",
  context: ({ input }) => ({
    requests: [],
    batches: [],
    queue: [],
    running: [],
    settings: sanitizeSettings({ ...QUEUE_DEFAULTS, ...input.settings }),
    probe: { ...PROBE_DEFAULTS, ...input.probe },
    createId: input.createId ?? createRequestId,
    now: input.now,
    random: input.random,
    secrets: input.secrets ?? [],
    seq: 0,
    dispatched: {},
    probeSeq: 0,
    probeAgain: false,
    gatewayInput: input.gateway,
    bridge: input.gateway.host.managed !== "absent",
    stopping: false,
    settingsVersion: 0,
    ...(input.endpoint ? { endpoint: input.endpoint } : {}),
    keys: {},
  }),
  invoke: [
    { id: "gateway", systemId: GATEWAY_SYSTEM_ID, src: "gateway", input: ({ context }) => context.gatewayInput },
    { id: "hostWatcher", src: "hostWatcher" },
    { id: "nativeCommands", src: "nativeCommands" },
  ],
  initial: "probeWaiting",
  on: {
    "user.submit": { actions: [submitRequest, startQueued] },
    "user.submitBatch": { actions: [submitBatch, startQueued] },
    "user.cancelBatch": { actions: cancelBatch },
    "user.keep": { actions: keepResult },
    "user.retry": { actions: [submitRequest, startQueued] },
    "user.cancel": { actions: cancelRequest },
    "user.cancelQueued": { actions: cancelQueued },
    "panel.stopping": { actions: stopAll },
    "user.remove": { actions: removeRequest },
    "settings.changed": {
      actions: [applySettings, forwardToGateway, startQueued],
    },
    "key.check": { actions: runKeyCommand },
    "user.saveKey": { actions: runKeyCommand },
    "user.clearKey": { actions: runKeyCommand },
    "key.adopt": { actions: runKeyCommand },
    "key.answered": { actions: applyKeyAnswer },
    "user.testConnection": { actions: testConnection },
    "connection.answered": { actions: applyConnectionAnswer },
    "notice.dismissed": { actions: forwardToGateway },
    "custom.tested": { actions: customTested },
    "host.bridge": { actions: forwardToGateway },
    "call.dispatched": { actions: recordCall },
    "call.answered": { actions: recordCall },
    "xstate.done.actor.*": { actions: [requestEnded, startQueued] },
    "xstate.error.actor.*": { actions: [requestCrashed, startQueued] },
  },
  // The session probe: panel open (the initial wait), focus or visibility, or the user's "check
  // again", when the bridge is there; one at a time, coalesced, time-bounded.
  states: {
    probeIdle: {
      on: {
        "host.focus": { guard: "bridgePresent", target: "probeWaiting" },
        "user.checkSession": { guard: "bridgePresent", target: "probeWaiting" },
        "host.bridge": { guard: ({ event }) => event.present, target: "probeWaiting", actions: forwardToGateway },
      },
    },
    // Focus, visibility and a click coming together make one probe.
    probeWaiting: {
      after: {
        probeDebounce: [{ guard: "bridgePresent", target: "probing" }, { target: "probeIdle" }],
      },
    },
    probing: {
      entry: assign(({ context }) => ({ seq: context.seq + 1, probeSeq: context.seq + 1, probeAgain: false })),
      invoke: {
        src: "probeSession",
        onDone: { target: "probeSettled", actions: applyProbe },
        onError: { target: "probeSettled" },
      },
      // A probe that hangs proves nothing.
      after: { probeTimeout: "probeSettled" },
      on: {
        "host.focus": { actions: assign({ probeAgain: true }) },
        "user.checkSession": { actions: assign({ probeAgain: true }) },
      },
    },
    probeSettled: {
      always: [{ guard: "probeAgain", target: "probeWaiting" }, { target: "probeIdle" }],
    },
  },
}));
export type PanelMachine = ReturnType<typeof panelMachine>;

/** Everything the panel's core does to the world, supplied by the panel (or by tests). */
export interface PanelEffects {
  /** Runs one attempt, sending back `gateway.output`, then `gateway.done` or `gateway.failed` (a
   * redacted failure); the returned function abandons it (anything later is dropped). */
  callGateway(input: CallGatewayInput, sendBack: (event: GatewayCallEvent) => void): () => void;
  /** Stops a call in flight on cancel or timeout where the gateway can (the native `cancel_request`). */
  cancelGatewayCall(params: { requestId: string; kind: GatewayKind }): void;
  /** One `started` and one terminal event per request that reached a gateway. */
  log(event: RequestLogEvent): void;
  /** Watches the bridge, window focus and visibility; returns its cleanup. */
  watchHost(sendBack: (event: HostEvent) => void): () => void;
  /** One free saved-output listing. */
  probeSession(): Promise<ProbeAnswer>;
  /** Asks the native backend about a profile's API key, sets, clears or adopts it (it answers only set / not set and where). */
  keyCommand?(command: KeyCommand): Promise<KeyAnswer>;
  /** Tests the custom endpoint (free: the model listing). */
  testConnection?(endpoint: EndpointDescription): Promise<ConnectionAnswer>;
}

/** The panel machine with its effects. Each panel (and each test) provides its own. */
export function providePanelEffects(effects: PanelEffects) {
  return panelMachine().provide({
    actions: { log: (_, event) => effects.log(event) },
    actors: {
      // The request machine as the panel runs it: its reports go to the panel.
      request: requestMachine().provide({
        actors: {
          callGateway: fromCallback<EventObject, CallGatewayInput>(({ input, sendBack }) => effects.callGateway(input, sendBack)),
        },
        actions: {
          report: sendParent((_, report: RequestReport) => report),
          cancelGatewayCall: (_, params) => effects.cancelGatewayCall(params),
          log: (_, event) => effects.log(event),
        },
      }),
      hostWatcher: fromCallback<EventObject>(({ sendBack }) => effects.watchHost(sendBack)),
      probeSession: fromPromise<ProbeAnswer>(() => effects.probeSession()),
      nativeCommands: fromCallback<NativeCommandEvent>(({ sendBack, receive }) => {
        let stopped = false;
        receive((event) => {
          if (event.type === "key.command") {
            const { type: _type, ...command } = event;
            const about = { command: command.command, profileId: command.profileId, ...("baseUrl" in command ? { baseUrl: command.baseUrl } : {}) };
            void effects.keyCommand?.(command).then((answer) => stopped || sendBack({ type: "key.answered", ...about, answer }));
          }
          else void effects.testConnection?.(event.endpoint).then((answer) => stopped || sendBack({ type: "connection.answered", tested: testedEndpoint(event.endpoint)!, answer }));
        });
        return () => void (stopped = true);
      }),
    },
  });
}
