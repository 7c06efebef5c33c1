import { usePanelStore } from "../stores/panel.store.ts";
import { useDraftStore } from "../stores/draft.store.ts";
import { useHistoryStore } from "../stores/history.store.ts";
import { useSettingsStore } from "../stores/settings.store.ts";
import { profileChoice } from "../schemas/settings.ts";

/**
 * "Reuse settings" for a request by its id (a card, a result, a history row): its history record
 * holds everything it was sent with, the full prompt and an edit's images included. Answers
 * whether the request was found.
 */
export function useReuseSettings() {
  const draft = useDraftStore();
  const history = useHistoryStore();
  const panel = usePanelStore();
  const settings = useSettingsStore();
  return (requestId: string): boolean => {
    const record = history.find(requestId);
    if (!record) return false;
    const current = panel.status.status === "available" ? panel.status.labelKey : undefined;
    // A custom request goes back to its own profile while it exists, else to the one Auto uses.
    const profileId = record.profileId && settings.settings.profiles.some((profile) => profile.id === record.profileId) ? record.profileId : settings.settings.defaultProfileId;
    draft.reuseSettings(record, current, (mode) => settings.update({ gateway: mode === "custom" ? profileChoice(profileId) : mode }));
    return true;
  };
}
