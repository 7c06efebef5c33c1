// The effects the machines need, as types. The panel supplies the real ones (SDK, native commands,
// logger); tests supply fakes. Machines never import the SDK or touch host globals.
import type { CallbackActorLogic, EventObject, PromiseActorLogic } from "xstate";
import type { Resolution } from "./gatewayResolution.ts";
import type { GatewayKind } from "./gatewayTypes.ts";
import type { RequestLogEvent } from "./logEvents.ts";
import { orchestratorMachine } from "./orchestrator.machine.ts";
import { requestMachine, type CallGatewayInput } from "./request.machine.ts";

/** Reads the gateway machine's resolution at the moment a request leaves the queue. */
export type ResolveGatewayPort = PromiseActorLogic<Resolution, { requestId: string }>;

/**
 * Runs one attempt on `input.kind` and sends back `gateway.output` (per image, as they arrive),
 * then `gateway.done` or `gateway.failed` with a redacted `GatewayFailure`. Its cleanup abandons the
 * call: anything it would send later is dropped by XState.
 */
export type CallGatewayPort = CallbackActorLogic<EventObject, CallGatewayInput>;

/** Stops a call in flight on cancel or timeout: `cancel_request` for `custom`, nothing else needed. */
export type CancelGatewayCallPort = (params: { requestId: string; kind: GatewayKind }) => void;

/** Receives one `started` and one terminal event per request that reached a gateway; see `createLogSink`. */
export type LogPort = (event: RequestLogEvent) => void;

export interface RequestPorts {
  resolveGateway: ResolveGatewayPort;
  callGateway: CallGatewayPort;
  cancelGatewayCall: CancelGatewayCallPort;
  log: LogPort;
}

/** The request machine with its effects supplied. */
export function provideRequestPorts(ports: RequestPorts) {
  return requestMachine.provide({
    actors: { resolveGateway: ports.resolveGateway, callGateway: ports.callGateway },
    actions: {
      log: (_, event) => ports.log(event),
      cancelGatewayCall: (_, params) => ports.cancelGatewayCall(params),
    },
  });
}

/** The orchestrator whose requests use `ports`. Clock, ids and randomness come with its input. */
export function provideOrchestratorPorts(ports: RequestPorts) {
  return orchestratorMachine.provide({ actors: { request: provideRequestPorts(ports) } });
}
