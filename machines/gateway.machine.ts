import { assign, setup } from "xstate";
import {
  effectiveMode,
  resolveGateway,
  type BuildFlavour,
  type CustomEndpointFacts,
  type GatewayMode,
  type HostFacts,
  type Resolution,
} from "./gatewayResolution.ts";
import type { ReasonKey } from "./labels.ts";

export interface GatewayContext {
  mode: GatewayMode;
  host: HostFacts;
  custom: CustomEndpointFacts;
  flavour: BuildFlavour;
  resolution: Resolution;
  /** A one-off notice for the user, e.g. a persisted mock mode dropped in production. */
  notice?: ReasonKey;
}

export type GatewayEvent =
  | { type: "settings.changed"; mode?: GatewayMode; custom?: CustomEndpointFacts }
  | { type: "host.changed"; host: HostFacts }
  | { type: "host.signedOut" }
  | { type: "host.signedIn"; session?: HostFacts["session"] }
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

/**
 * Which gateway new requests use. Every input change re-resolves; requests already running keep
 * the resolution they started with (the request machine copies it).
 */
export const gatewayMachine = setup({
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
      return withResolution({
        ...context,
        mode,
        custom: event.custom ?? context.custom,
        notice: mode !== requested ? "mockProductionOnly" : context.notice,
      });
    }),
    applyHost: assign(({ context, event }) => {
      const host: HostFacts =
        event.type === "host.changed"
          ? event.host
          : event.type === "host.signedOut"
            ? { ...context.host, managed: "signedOut" }
            : event.type === "host.signedIn"
              ? { managed: "available", session: event.session ?? context.host.session }
              : context.host;
      return withResolution({ ...context, host });
    }),
    dismissNotice: assign({ notice: undefined }),
  },
  guards: {
    hasUsableGateway: ({ context }) => context.resolution.status === "available",
  },
}).createMachine({
  id: "gateway",
  context: ({ input }) => {
    const mode = effectiveMode(input.mode, input.flavour);
    return withResolution({
      mode,
      host: input.host,
      custom: input.custom,
      flavour: input.flavour,
      notice: mode !== input.mode ? "mockProductionOnly" : undefined,
    });
  },
  initial: "deciding",
  on: {
    "settings.changed": { target: ".deciding", actions: "applySettings" },
    "host.changed": { target: ".deciding", actions: "applyHost" },
    "host.signedOut": { target: ".deciding", actions: "applyHost" },
    "host.signedIn": { target: ".deciding", actions: "applyHost" },
    "notice.dismissed": { actions: "dismissNotice" },
  },
  states: {
    deciding: {
      always: [{ guard: "hasUsableGateway", target: "available" }, { target: "unavailable" }],
    },
    available: {},
    unavailable: {},
  },
});
