import { fromCallback, fromPromise, type AnyActorRef, type EventObject } from "xstate";
import { orchestratorMachine, requestMachine, type CallGatewayInput, type RequestLogEvent, type Resolution } from "../../machines/index.ts";
import type { GatewayPorts } from "./gatewayPorts.ts";

type AnyActorSystem = AnyActorRef["system"];

export interface PanelEffects {
  ports: GatewayPorts;
  log: (event: RequestLogEvent) => void;
}

// Providing a machine rebuilds its whole transition table, so it happens once per bundle, not
// once per mount; each panel's effects are found through the actor system its orchestrator owns.
const effectsBySystem = new WeakMap<AnyActorSystem, PanelEffects>();

/** Binds a panel's effects to its orchestrator; call before `start()`. */
export const bindPanelEffects = (system: AnyActorSystem, effects: PanelEffects) => void effectsBySystem.set(system, effects);

const effectsOf = (system: AnyActorSystem): PanelEffects => {
  const effects = effectsBySystem.get(system);
  if (!effects) throw new Error("The orchestrator's effects were not bound (bindPanelEffects).");
  return effects;
};

export const panelOrchestratorMachine = orchestratorMachine.provide({
  actors: {
    request: requestMachine.provide({
      actors: {
        resolveGateway: fromPromise<Resolution, { requestId: string }>(async ({ system }) => effectsOf(system).ports.resolve()),
        callGateway: fromCallback<EventObject, CallGatewayInput>(({ input, system, sendBack }) => effectsOf(system).ports.call(input, sendBack)),
      },
      actions: {
        cancelGatewayCall: ({ system }, params) => effectsOf(system).ports.cancel(params),
        log: ({ system }, event) => effectsOf(system).log(event),
      },
    }),
  },
});
