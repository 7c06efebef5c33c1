import { mountPanel } from "../app/mountPanel.ts";
import { reactPanelFor } from "./reactPanelFor.ts";

/** The panel the host renders: our Vue app behind the React adapter. */
export const VuePanelHost = reactPanelFor(mountPanel);
