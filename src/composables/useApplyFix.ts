import type { FixAction } from "../../machines/index.ts";
import { useWorkspaceStore } from "../stores/workspace.store.ts";
import { useOpenSettings } from "./useOpenSettings.ts";

/** Applies a fix the views chose: sends its event to the core, or opens the settings. */
export function useApplyFix(openSettings: () => void = useOpenSettings()) {
  const workspace = useWorkspaceStore();
  return (action: FixAction) => ("send" in action ? workspace.send(action.send) : openSettings());
}
