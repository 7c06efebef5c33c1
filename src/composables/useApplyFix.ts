import type { FixAction } from "../../machines/index.ts";
import { usePanelStore } from "../stores/panel.store.ts";
import { useSettingsStore } from "../stores/settings.store.ts";
import { useOpenSettings } from "./useOpenSettings.ts";

/**
 * Applies a fix the views chose: sends its event to the core, turns streaming on for the profile
 * the failed request went through (`profileId`), or opens the settings.
 */
export function useApplyFix(openSettings: () => void = useOpenSettings()) {
  const panel = usePanelStore();
  const settings = useSettingsStore();
  return (action: FixAction, profileId?: string) => {
    if ("send" in action) return panel.send(action.send);
    if ("enable" in action && profileId && settings.enableStreaming(profileId)) return;
    openSettings();
  };
}
