import { computed, type Ref } from "vue";
import { KNOWN_MODELS, selectComposerFields, type DraftView } from "../../machines/index.ts";
import { presetOf } from "../profiles/presets.ts";
import { useModelsStore } from "../stores/models.store.ts";
import { usePanelStore } from "../stores/panel.store.ts";
import { useSettingsStore } from "../stores/settings.store.ts";

/** The composer's fields for the gateway the status line shows: an endpoint profile offers what its provider takes, and its listed models. */
export function useComposerFields(view: Ref<DraftView>) {
  const panel = usePanelStore();
  const settings = useSettingsStore();
  const models = useModelsStore();
  return computed(() => {
    const profile = panel.status.status === "available" && panel.status.labelKey === "custom" ? settings.activeProfile : undefined;
    const known = profile?.preset === "openai-compatible" || !profile ? KNOWN_MODELS : presetOf(profile.preset).models;
    return selectComposerFields(view.value, profile && presetOf(profile.preset).fields, models.suggestionsFor(profile?.id)?.ids, known);
  });
}
