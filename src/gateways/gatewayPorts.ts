import { fromCallback, fromPromise, type EventObject } from "xstate";
import type { CallGatewayInput, GatewayCallEvent, GatewayKind, RequestInput, Resolution } from "../../machines/index.ts";
import { cancelCustomRequest, callCustomEndpoint, type CustomEndpointConfig } from "./customGateway.ts";
import { callManagedGateway } from "./managedGateway.ts";

export type MockCall = (input: RequestInput, signal: AbortSignal) => Promise<GatewayCallEvent[]>;

export interface GatewayPortDeps {
  currentResolution: () => Resolution;
  customConfig: () => CustomEndpointConfig;
  /** Present in development builds only. */
  mock?: MockCall;
  /** Told about every answer, e.g. to notice a sign-out. */
  onAnswer?: (kind: GatewayKind, events: GatewayCallEvent[]) => void;
}

function run(kind: GatewayKind, input: CallGatewayInput, deps: GatewayPortDeps, signal: AbortSignal): Promise<GatewayCallEvent[]> {
  if (kind === "custom") return callCustomEndpoint(input.requestId, input.input, deps.customConfig());
  if (kind === "managed") return callManagedGateway(input.input);
  if (deps.mock) return deps.mock(input.input, signal);
  return Promise.resolve([{ type: "gateway.failed", failure: { code: "gateway_unavailable", message: "No mock gateway in this build.", mayHaveRun: false } }]);
}

/** The request machine's effects, wired to the SDK and the native backend. */
export function createGatewayPorts(deps: GatewayPortDeps) {
  return {
    actors: {
      resolveGateway: fromPromise<Resolution, { requestId: string }>(async () => deps.currentResolution()),
      callGateway: fromCallback<EventObject, CallGatewayInput>(({ input, sendBack }) => {
        const controller = new AbortController();
        run(input.kind, input, deps, controller.signal)
          .catch((error: unknown): GatewayCallEvent[] => [
            { type: "gateway.failed", failure: { code: "invalid_response", message: String(error), mayHaveRun: true } },
          ])
          .then((events) => {
            // An abandoned call (cancelled, timed out) may still answer: ignore it.
            if (controller.signal.aborted) return;
            deps.onAnswer?.(input.kind, events);
            for (const event of events) sendBack(event);
          });
        return () => controller.abort();
      }),
    },
    actions: {
      cancelGatewayCall: (_: unknown, params: { requestId: string; kind: GatewayKind }) => {
        if (params.kind === "custom") void cancelCustomRequest(params.requestId);
      },
    },
  };
}
