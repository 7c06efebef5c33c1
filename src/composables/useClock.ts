import { usePanelEnvironment } from "../app/panelEnvironment.ts";

/** The panel's clock (milliseconds since the epoch): the environment's, given at mount. Tests give a fixed one. */
export const useClock = (): (() => number) => usePanelEnvironment().now;
