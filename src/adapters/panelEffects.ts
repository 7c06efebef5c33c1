import type { PanelEffects, RequestLogEvent } from "../../machines/index.ts";
import type { PanelEnvironment } from "../app/panelEnvironment.ts";
import { createGatewayCalls } from "./gatewayCalls.ts";

/** Every effect the panel's core runs, from the panel's environment; `log` gets each request's log records. */
export function panelEffects(environment: PanelEnvironment, log: (event: RequestLogEvent) => void): PanelEffects {
  return {
    ...createGatewayCalls(environment.mock ? { mock: environment.mock } : {}),
    log,
    watchHost: (sendBack) => environment.host.watch(sendBack),
    probeSession: () => environment.host.probeSession(),
    keyCommand: (command) => environment.native.keyCommand(command),
    testConnection: (endpoint) => environment.native.testConnection(endpoint),
  };
}
