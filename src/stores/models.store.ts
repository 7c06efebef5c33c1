import { defineStore } from "pinia";
import { ref } from "vue";
import * as z from "zod/mini";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";
import { suggestedModels } from "../endpoint/models.ts";

export const MODELS_STORAGE_KEY = "hfmig.models.v1";

const CacheSchema = z.record(z.string(), z.object({ models: z.array(z.object({ id: z.string(), image: z.nullable(z.boolean()) })), fetchedAt: z.number() }));
type ModelCache = z.infer<typeof CacheSchema>;

/** The models each endpoint profile listed, with when: suggestions for the model field, never a limit. */
export const useModelsStore = defineStore("models", () => {
  const { storage } = usePanelEnvironment();
  let initial: ModelCache = {};
  try {
    const parsed = CacheSchema.safeParse(JSON.parse(storage?.getItem(MODELS_STORAGE_KEY) ?? "{}"));
    if (parsed.success) initial = parsed.data;
  } catch {
    // An unreadable cache is only suggestions: start without it.
  }
  const cache = ref<ModelCache>(initial);
  const save = () => {
    try {
      storage?.setItem(MODELS_STORAGE_KEY, JSON.stringify(cache.value));
    } catch {
      // Storage full: the suggestions still hold for this session.
    }
  };
  const remember = (profileId: string, models: { id: string; image: boolean | null }[], fetchedAt: number) => {
    cache.value = { ...cache.value, [profileId]: { models, fetchedAt } };
    save();
  };
  const forget = (profileId: string) => {
    const { [profileId]: _gone, ...rest } = cache.value;
    cache.value = rest;
    save();
  };
  /** The model ids to suggest for a profile, and when they were listed. */
  const suggestionsFor = (profileId: string | undefined) => {
    const entry = profileId ? cache.value[profileId] : undefined;
    return entry ? { ids: suggestedModels(entry.models), fetchedAt: entry.fetchedAt } : undefined;
  };
  return { cache, remember, forget, suggestionsFor };
});
