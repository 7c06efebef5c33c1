import type { FixAction } from "../../machines/index.ts";
import { usePanelStore } from "../stores/panel.store.ts";
import { useOpenSettings } from "./useOpenSettings.ts";

/** Applies a fix the views chose: sends its event to the core, or opens the settings. */
export function useApplyFix(openSettings: () => void = useOpenSettings()) {
  const panel = usePanelStore();
  return (action: FixAction) => ("send" in action ? panel.send(action.send) : openSettings());
}
