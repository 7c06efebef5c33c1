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

/** One panel's gateway effects: what the request machine's ports do for that panel. */
export interface GatewayPorts {
  resolve(): Resolution;
  /** Runs one attempt, sending its answers back; the returned function abandons it. */
  call(input: CallGatewayInput, sendBack: (event: GatewayCallEvent) => void): () => void;
  cancel(params: { requestId: string; kind: GatewayKind }): void;
}

function run(kind: GatewayKind, input: CallGatewayInput, deps: GatewayPortDeps, signal: AbortSignal): Promise<GatewayCallEvent[]> {
  if (kind === "custom") return callCustomEndpoint(input.requestId, input.input, deps.customConfig());
  if (kind === "managed") return callManagedGateway(input.input);
  if (deps.mock) return deps.mock(input.input, signal);
  return Promise.resolve([{ type: "gateway.failed", failure: { code: "gateway_unavailable", message: "No mock gateway in this build.", mayHaveRun: false } }]);
}

/** The request machine's effects, wired to the SDK and the native backend. */
export function createGatewayPorts(deps: GatewayPortDeps): GatewayPorts {
  return {
    resolve: () => deps.currentResolution(),
    call(input, sendBack) {
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
    },
    cancel(params) {
      if (params.kind === "custom") void cancelCustomRequest(params.requestId);
    },
  };
}
