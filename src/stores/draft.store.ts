import { defineStore } from "pinia";
import { ref, watch } from "vue";
import * as z from "zod/mini";

export const DRAFT_STORAGE_KEY = "hfmig.draft.v1";

// Each field falls back on its own, so one bad field never costs the rest of the draft.
const DraftSchema = z.object({
  mode: z.catch(z.enum(["generate", "edit"]), "generate"),
  prompt: z.catch(z.string(), ""),
  model: z.catch(z.optional(z.string()), undefined),
  size: z.catch(z.optional(z.string()), undefined),
  n: z.catch(z.number().check(z.int(), z.minimum(1), z.maximum(10)), 1),
  quality: z.catch(z.optional(z.string()), undefined),
  outputFormat: z.catch(z.optional(z.string()), undefined),
});
export type Draft = z.infer<typeof DraftSchema>;

/** The composer's draft, saved as the user types so no reload, error or crash loses it. */
export const useDraftStore = defineStore("draft", () => {
  const storage = globalThis.localStorage as Storage | undefined;
  let initial: Draft = { mode: "generate", prompt: "", n: 1 };
  try {
    const parsed = z.safeParse(DraftSchema, JSON.parse(storage?.getItem(DRAFT_STORAGE_KEY) ?? "null"));
    if (parsed.success) initial = parsed.data;
  } catch {
    // A corrupt draft starts empty rather than breaking the panel.
  }
  const draft = ref<Draft>(initial);
  watch(
    draft,
    (value) => {
      try {
        storage?.setItem(DRAFT_STORAGE_KEY, JSON.stringify(value));
      } catch {
        // Quota: keep typing; the draft stays in memory.
      }
    },
    { deep: true },
  );
  return { draft };
});
