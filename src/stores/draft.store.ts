import { defineStore } from "pinia";
import { ref, watch } from "vue";
import * as z from "zod/mini";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";
import { RUN_MODES, reuseFill, reuseGatewayMode, type ComposerFill, type GatewayLabelKey, type RunMode } from "../../machines/index.ts";
import type { HistoryRecord, StoredImage } from "../history/historyRecord.ts";
import { PROFILE_ID } from "../schemas/profile.ts";
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
  /** Sent only where the provider takes them; kept as typed (the composer marks a bad one). */
  seed: z.optional(z.number()),
  negativePrompt: z.optional(z.string()),
  /** One prompt as written, a batch (one per line, variants) or a compare; absent: one prompt. */
  run: z.optional(z.enum(RUN_MODES as [RunMode, ...RunMode[]])),
  /** A compare's targets, kept while the user switches run modes; `custom` ones name their profile. */
  targets: z.optional(z.array(z.object({ mode: z.enum(["auto", "cloud", "custom", "mock"]), profileId: z.optional(z.string().check(z.regex(PROFILE_ID))), model: z.string() }))),
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

  /** Puts a request's fields (and an edit's references and mask) in the composer; nothing is sent. */
  const fillFrom = ({ references, gateway: _gateway, ...fields }: ComposerFill<StoredImage> & { run?: RunMode }) => {
    update(fields);
    if (references) void useReferencesStore().replaceWith(references.images, references.mask?.blob);
  };

  /**
   * "Reuse settings" (card, result, history row; also "Put back in composer"): every field the
   * request was sent with goes back in the composer, an edit's references and mask with them, and
   * the gateway it went out on is chosen again when another is in use (`current`, the status
   * line's label). Nothing is sent, so nothing is billed until the user presses Generate. Answers
   * the settings mode it switched to, if any.
   */
  const reuseSettings = (record: HistoryRecord, current: GatewayLabelKey | undefined, setMode: (mode: "cloud" | "custom" | "mock") => void) => {
    const { gateway, ...fill } = reuseFill(record);
    fillFrom({ ...fill, run: "single" });
    const mode = reuseGatewayMode({ gateway }, current);
    if (mode) setMode(mode);
    return mode;
  };

  /** "Use as reference" (gallery, viewer, history): the composer switches to Edit and takes the image. */
  const useAsReference = (image: { src: string; stem: string; blob?: Blob }) => {
    update({ mode: "edit" });
    return useReferencesStore().useImage(image);
  };

  return { draft, update, fillFrom, reuseSettings, useAsReference };
});
