import type { GatewayCallEvent, PanelEffects, RequestInput } from "../../machines/index.ts";
import { cancelCustomRequest, callCustomEndpoint } from "./customGateway.ts";
import { callManagedGateway } from "./managedGateway.ts";

export type MockCall = (input: RequestInput, signal: AbortSignal) => Promise<GatewayCallEvent[]>;

export interface GatewayCallDeps {
  /** Present in development builds only. */
  mock?: MockCall;
}

/** The request machine's gateway effects, wired to the SDK, the native backend and the mock. */
export function createGatewayCalls(deps: GatewayCallDeps): Pick<PanelEffects, "callGateway" | "cancelGatewayCall"> {
  const run = (input: Parameters<PanelEffects["callGateway"]>[0], signal: AbortSignal, send: (event: GatewayCallEvent) => void): Promise<GatewayCallEvent[]> => {
    // The endpoint the request captured when it was made, never the settings of now.
    if (input.kind === "custom") {
      if (input.endpoint) return callCustomEndpoint(input.requestId, input.input, input.endpoint, send);
      return Promise.resolve([{ type: "gateway.failed", failure: { code: "invalid_config", message: "No custom endpoint is configured.", mayHaveRun: false } }]);
    }
    if (input.kind === "managed") return callManagedGateway(input.input);
    if (deps.mock) return deps.mock(input.input, signal);
    return Promise.resolve([{ type: "gateway.failed", failure: { code: "gateway_unavailable", message: "No mock gateway in this build.", mayHaveRun: false } }]);
  };
  return {
    callGateway(input, sendBack) {
      const controller = new AbortController();
      // Streamed partials go back as they come; nothing after the call was abandoned.
      run(input, controller.signal, (event) => controller.signal.aborted || sendBack(event))
        .catch((error: unknown): GatewayCallEvent[] => [
          // An adapter that throws after the call went out: it may have run.
          { type: "gateway.failed", failure: { code: "internal", message: String(error), mayHaveRun: true } },
        ])
        .then((events) => {
          // An abandoned call (cancelled, timed out) may still answer: the machine dropped it.
          if (controller.signal.aborted) return;
          for (const event of events) sendBack(event);
        });
      return () => controller.abort();
    },
    cancelGatewayCall(params) {
      if (params.kind === "custom") void cancelCustomRequest(params.requestId);
    },
  };
}
