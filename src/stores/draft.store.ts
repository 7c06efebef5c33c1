import { defineStore } from "pinia";
import { ref, watch } from "vue";
import * as z from "zod/mini";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";
import type { ComposerFill } from "../../machines/index.ts";
import type { StoredImage } from "../history/historyRecord.ts";
import { repairFields } from "../schemas/repairFields.ts";
import { useReferencesStore } from "./references.store.ts";

export const DRAFT_STORAGE_KEY = "hfmig.draft.v1";

// Built when a stored draft is read: a first open with none builds no schema.
const draftSchema = () => z.object({
  mode: z.enum(["generate", "edit"]),
  prompt: z.string(),
  model: z.optional(z.string()),
  size: z.optional(z.string()),
  n: z.number().check(z.int(), z.minimum(1), z.maximum(10)),
  quality: z.optional(z.string()),
  outputFormat: z.optional(z.string()),
  background: z.optional(z.string()),
  inputFidelity: z.optional(z.string()),
});
export type Draft = z.infer<ReturnType<typeof draftSchema>>;
const EMPTY_DRAFT: Draft = { mode: "generate", prompt: "", n: 1 };

/** The composer's draft, saved as the user types so no reload, error or crash loses it. */
export const useDraftStore = defineStore("draft", () => {
  const { storage } = usePanelEnvironment();
  let initial = EMPTY_DRAFT;
  try {
    // Each field falls back on its own, so one bad field never costs the rest of the draft.
    initial = repairFields(() => draftSchema().shape, EMPTY_DRAFT, JSON.parse(storage?.getItem(DRAFT_STORAGE_KEY) ?? "null")).value;
  } catch {
    // Unreadable JSON starts empty rather than breaking the panel.
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

  /** The composer's fields as the user edits them. */
  const update = (change: Partial<Draft>) => (draft.value = { ...draft.value, ...change });

  /**
   * Re-run (viewer) and "Put back in composer" (history): the request's prompt and options go back
   * in the composer, an edit's references and mask with them. Nothing is sent, so nothing is billed
   * until the user presses Generate (and may change things first).
   */
  const fillFrom = ({ references, ...fields }: ComposerFill<StoredImage>) => {
    update(fields);
    if (references) useReferencesStore().replaceWith(references.images, references.mask?.blob);
  };

  /** "Use as reference" (gallery, viewer, history): the composer switches to Edit and takes the image. */
  const useAsReference = (image: { src: string; stem: string; blob?: Blob }) => {
    update({ mode: "edit" });
    return useReferencesStore().useImage(image);
  };

  return { draft, update, fillFrom, useAsReference };
});
