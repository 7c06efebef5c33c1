import { computed, type Ref } from "vue";
import { KNOWN_MODELS, selectComposerFields, type DraftView } from "../../machines/index.ts";
import { presetOf } from "../profiles/presets.ts";
import { useModelsStore } from "../stores/models.store.ts";
import { usePanelStore } from "../stores/panel.store.ts";
import { useSettingsStore } from "../stores/settings.store.ts";

/** The endpoint profile the status line shows, when it is the gateway in use. */
function useActiveProfile() {
  const panel = usePanelStore();
  const settings = useSettingsStore();
  return computed(() => (panel.status.status === "available" && panel.status.labelKey === "custom" ? settings.activeProfile : undefined));
}

/** What the provider of the gateway in use takes (OpenAI's own set, undefined, off an endpoint profile). */
export function useProviderFields() {
  const profile = useActiveProfile();
  return computed(() => profile.value && presetOf(profile.value.preset).fields);
}

/** The composer's fields for the gateway the status line shows: an endpoint profile offers what its provider takes, and its listed models. */
export function useComposerFields(view: Ref<DraftView>) {
  const profile = useActiveProfile();
  const provider = useProviderFields();
  const models = useModelsStore();
  return computed(() => {
    const known = profile.value?.preset === "openai-compatible" || !profile.value ? KNOWN_MODELS : presetOf(profile.value.preset).models;
    return selectComposerFields(view.value, provider.value, models.suggestionsFor(profile.value?.id)?.ids, known);
  });
}
