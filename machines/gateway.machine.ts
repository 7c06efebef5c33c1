import { assign, setup } from "xstate";
import {
  effectiveMode,
  resolveGateway,
  type BuildFlavour,
  type CustomEndpointFacts,
  type GatewayMode,
  type HostFacts,
  type Resolution,
} from "./rules/gatewayResolution.ts";
import type { GatewayLabelKey, ReasonKey } from "./labels.ts";
import type { FailureFacts } from "./gatewayCall.ts";
import { onFirstUse } from "./onFirstUse.ts";

/** A one-off notice for the user. */
export type GatewayNotice =
  | { kind: "mockProductionOnly" }
  /** Auto moved new requests to another gateway (or to none) because the settings changed. */
  | { kind: "autoSwitched"; to: GatewayLabelKey | "none"; reason: ReasonKey };

export interface GatewayContext {
  mode: GatewayMode;
  host: HostFacts;
  custom: CustomEndpointFacts;
  flavour: BuildFlavour;
  resolution: Resolution;
  /** The order number of the session fact `host.managed` holds (0: none yet). */
  factSeq: number;
  /** What the newest call outcome (in event order) proved about the custom endpoint as configured now. */
  customFact: CustomFact;
  /** The order number of `customFact` (0: none yet). */
  customSeq: number;
  notice?: GatewayNotice;
}

/**
 * The custom endpoint as its calls found it: not tried yet, working (a call or a connection test
 * succeeded), the key refused, or failing with the newest failure's facts (worded by the views).
 */
export type CustomFact = { state: "untried" } | { state: "working" } | { state: "keyRefused" } | { state: "failing"; failure: FailureFacts };

/**
 * `session.fact` and `custom.fact` carry an order number given by the panel: a success counts from when its call
 * was sent, a sign-in refusal from when it arrived. A fact older than the one held is ignored, so
 * a late answer of an older request never overwrites a newer fact.
 */
export type GatewayEvent =
  | { type: "settings.changed"; mode?: GatewayMode; custom?: CustomEndpointFacts }
  | { type: "host.bridge"; present: boolean }
  | { type: "session.fact"; fact: "verified" | "signedOut"; seq: number }
  /** A custom call's outcome: a success counts from when it was sent, a failure from when it arrived. */
  | { type: "custom.fact"; seq: number; outcome: { ok: true } | { ok: false; failure: FailureFacts } }
  | { type: "notice.dismissed" };

export interface GatewayInput {
  mode: GatewayMode;
  host: HostFacts;
  custom: CustomEndpointFacts;
  flavour: BuildFlavour;
}

const withResolution = (context: Omit<GatewayContext, "resolution">): GatewayContext => ({
  ...context,
  resolution: resolveGateway(context),
});

const UNTRIED: CustomFact = { state: "untried" };
/** A refused key is its own fact (the fix is the key); any other failure means the endpoint is failing. */
const customFactOf = (outcome: Extract<GatewayEvent, { type: "custom.fact" }>["outcome"]): CustomFact =>
  outcome.ok ? { state: "working" } : outcome.failure.code === "unauthorized" ? { state: "keyRefused" } : { state: "failing", failure: outcome.failure };

const sameCustom = (a: CustomEndpointFacts, b: CustomEndpointFacts) => a.profileId === b.profileId && a.baseUrl === b.baseUrl && a.valid === b.valid && a.keySet === b.keySet;
const target = (resolution: Resolution): GatewayLabelKey | "none" => (resolution.status === "available" ? resolution.labelKey : "none");

/** The gateway's first context: what the panel shows before its core has started, and how the machine starts. */
export function initialGatewayContext(input: GatewayInput): GatewayContext {
  const mode = effectiveMode(input.mode, input.flavour);
  return withResolution({
    mode,
    host: input.host,
    custom: input.custom,
    flavour: input.flavour,
    factSeq: 0,
    customFact: UNTRIED,
    customSeq: 0,
    ...(mode !== input.mode ? { notice: { kind: "mockProductionOnly" } as const } : {}),
  });
}

/**
 * Which gateway new requests use, and what is proven about it. Every input change re-resolves;
 * requests already running keep the resolution they started with (the request machine copies it).
 * Built on first use.
 */
export const gatewayMachine = onFirstUse(() => setup({
  types: {
    context: {} as GatewayContext,
    events: {} as GatewayEvent,
    input: {} as GatewayInput,
  },
  actions: {
    applySettings: assign(({ context, event }) => {
      if (event.type !== "settings.changed") return {};
      const requested = event.mode ?? context.mode;
      const mode = effectiveMode(requested, context.flavour);
      const custom = event.custom ?? context.custom;
      // Facts about other custom settings say nothing about these.
      const kept = sameCustom(custom, context.custom);
      const next = withResolution({ ...context, mode, custom, customFact: kept ? context.customFact : UNTRIED });
      // Said once, with the reason: Auto changed gateways because a setting (not the mode) changed.
      const switched = mode === "auto" && context.mode === "auto" && target(next.resolution) !== target(context.resolution);
      const notice: GatewayNotice | undefined =
        mode !== requested
          ? { kind: "mockProductionOnly" }
          : switched
            ? { kind: "autoSwitched", to: target(next.resolution), reason: next.resolution.reason }
            : context.notice;
      return { ...next, notice };
    }),
    applyBridge: assign(({ context, event }) => {
      if (event.type !== "host.bridge") return {};
      // The order of facts survives the bridge going away, so an answer from before can never count later.
      if (!event.present) return withResolution({ ...context, host: { ...context.host, managed: "absent" } });
      // A bridge that (re)appears proves nothing about the session.
      if (context.host.managed !== "absent") return {};
      return withResolution({ ...context, host: { ...context.host, managed: "unknown" } });
    }),
    applySessionFact: assign(({ context, event }) => {
      // A fact older than the one held, or about a bridge that is gone, proves nothing now.
      if (event.type !== "session.fact" || event.seq <= context.factSeq || context.host.managed === "absent") return {};
      return withResolution({ ...context, host: { ...context.host, managed: event.fact }, factSeq: event.seq });
    }),
    applyCustomFact: assign(({ context, event }) => {
      if (event.type !== "custom.fact" || event.seq <= context.customSeq) return {};
      return { customFact: customFactOf(event.outcome), customSeq: event.seq };
    }),
    dismissNotice: assign({ notice: undefined }),
  },
}).createMachine({
  id: "gateway",
  context: ({ input }) => initialGatewayContext(input),
  // Everything the panel reads is in the context (`resolution`, facts, notice): no states.
  on: {
    "settings.changed": { actions: "applySettings" },
    "host.bridge": { actions: "applyBridge" },
    "session.fact": { actions: "applySessionFact" },
    "custom.fact": { actions: "applyCustomFact" },
    "notice.dismissed": { actions: "dismissNotice" },
  },
}));
export type GatewayMachine = ReturnType<typeof gatewayMachine>;
