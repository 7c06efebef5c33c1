import { assign, setup, type ActorRefFrom, type DoneActorEvent, type ErrorActorEvent } from "xstate";
import { requestMachine, type RequestSettings } from "./request.machine.ts";
import { createRequestId } from "./requestId.ts";

export type RequestRef = ActorRefFrom<typeof requestMachine>;

export interface OrchestratorSettings extends RequestSettings {
  concurrency: number;
}

export const ORCHESTRATOR_DEFAULTS: OrchestratorSettings = { concurrency: 2, timeoutMs: 300_000, maxRetries: 2 };

export interface RequestEntry {
  id: string;
  input: unknown;
  ref: RequestRef;
}

export interface OrchestratorContext {
  /** Every request the panel shows, oldest first. */
  requests: RequestEntry[];
  /** Valid requests waiting for a free slot, in order. */
  queue: string[];
  running: string[];
  settings: OrchestratorSettings;
  createId: () => string;
  now: () => number;
  random: () => number;
  secrets: readonly string[];
}

export interface OrchestratorInput {
  settings?: Partial<OrchestratorSettings>;
  /** Defaults to a random UUID per request. */
  createId?: () => string;
  now: () => number;
  random: () => number;
  secrets?: readonly string[];
}

export type OrchestratorEvent =
  | { type: "user.submit"; input: unknown }
  | { type: "user.cancel"; id: string }
  | { type: "user.retry"; id: string }
  | { type: "user.remove"; id: string }
  | { type: "settings.changed"; settings: Partial<OrchestratorSettings> }
  | { type: "secrets.changed"; secrets: readonly string[] };

const sanitizeSettings = (settings: OrchestratorSettings): OrchestratorSettings => ({
  concurrency: Math.max(1, Math.floor(settings.concurrency)),
  timeoutMs: Math.max(1_000, settings.timeoutMs),
  maxRetries: Math.max(0, Math.floor(settings.maxRetries)),
});

const orchestratorSetup = setup({
  types: {
    context: {} as OrchestratorContext,
    events: {} as OrchestratorEvent | DoneActorEvent | ErrorActorEvent,
    input: {} as OrchestratorInput,
  },
  actors: { request: requestMachine },
  actions: {
    spawnRequest: assign(({ context, spawn }, params: { input: unknown }) => {
      const id = context.createId();
      const ref = spawn("request", {
        id,
        input: {
          id,
          input: params.input,
          // Each request keeps the settings it was created with: later changes never reroute it.
          settings: { timeoutMs: context.settings.timeoutMs, maxRetries: context.settings.maxRetries },
          now: context.now,
          random: context.random,
          secrets: context.secrets,
        },
      });
      return { requests: [...context.requests, { id, input: params.input, ref }], queue: [...context.queue, id] };
    }),
    forgetSettled: assign(({ context, event }) => {
      const id = (event as DoneActorEvent | ErrorActorEvent).actorId;
      return { queue: context.queue.filter((queued) => queued !== id), running: context.running.filter((running) => running !== id) };
    }),
    applySettings: assign(({ context, event }) =>
      event.type === "settings.changed" ? { settings: sanitizeSettings({ ...context.settings, ...event.settings }) } : {},
    ),
    applySecrets: assign(({ event }) => (event.type === "secrets.changed" ? { secrets: event.secrets } : {})),
  },
});

/** Starts queued requests while slots are free. */
const startQueued = orchestratorSetup.enqueueActions(({ context, enqueue }) => {
  const queue = [...context.queue];
  const running = [...context.running];
  while (running.length < context.settings.concurrency && queue.length > 0) {
    const id = queue.shift()!;
    const entry = context.requests.find((request) => request.id === id);
    if (!entry || entry.ref.getSnapshot().status === "done") continue;
    running.push(id);
    enqueue.sendTo(entry.ref, { type: "request.start" });
  }
  enqueue.assign({ queue, running });
});

const cancelRequest = orchestratorSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.cancel") return;
  const entry = context.requests.find((request) => request.id === event.id);
  // A cancel that crosses the request's end is a no-op.
  if (entry && entry.ref.getSnapshot().status === "active") enqueue.sendTo(entry.ref, { type: "user.cancel" });
});

const endedRequest = (context: OrchestratorContext, id: string) =>
  context.requests.find((request) => request.id === id && request.ref.getSnapshot().status === "done");

const retryRequest = orchestratorSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.retry") return;
  // Only an ended request can be retried, so a double click never bills a running one twice. A
  // retry is a new request with a new ID: the user chose to be billed again.
  const entry = endedRequest(context, event.id);
  if (entry) enqueue({ type: "spawnRequest", params: { input: entry.input } });
});

/** Drops an ended request from the list and stops its actor, so long sessions do not pile up. */
const removeRequest = orchestratorSetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== "user.remove") return;
  const entry = endedRequest(context, event.id);
  if (!entry) return;
  enqueue.stopChild(entry.ref);
  enqueue.assign({ requests: context.requests.filter((request) => request.id !== event.id) });
});

/**
 * Holds every request of the panel, queues them and runs at most `concurrency` at once. Requests
 * are never dropped: each stays in `requests` until the user removes it after it ended.
 */
export const orchestratorMachine = orchestratorSetup.createMachine({
  id: "orchestrator",
  context: ({ input }) => ({
    requests: [],
    queue: [],
    running: [],
    settings: sanitizeSettings({ ...ORCHESTRATOR_DEFAULTS, ...input.settings }),
    createId: input.createId ?? createRequestId,
    now: input.now,
    random: input.random,
    secrets: input.secrets ?? [],
  }),
  on: {
    "user.submit": { actions: [{ type: "spawnRequest", params: ({ event }) => ({ input: event.input }) }, startQueued] },
    "user.retry": { actions: [retryRequest, startQueued] },
    "user.cancel": { actions: cancelRequest },
    "user.remove": { actions: removeRequest },
    "settings.changed": { actions: ["applySettings", startQueued] },
    "secrets.changed": { actions: "applySecrets" },
    "xstate.done.actor.*": { actions: ["forgetSettled", startQueued] },
    "xstate.error.actor.*": { actions: ["forgetSettled", startQueued] },
  },
});
