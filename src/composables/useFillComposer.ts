import type { HistoryRecord } from "../history/historyRecord.ts";
import { useDraftStore } from "../stores/draft.store.ts";
import { useReferencesStore } from "../stores/references.store.ts";

/**
 * Puts a history request back in the composer: its prompt and options, and for an edit its
 * references and mask. Nothing is sent: the user presses Generate (and may change things first),
 * so nothing is billed by this alone.
 */
export function useFillComposer() {
  const draftStore = useDraftStore();
  const references = useReferencesStore();
  return (record: HistoryRecord) => {
    const { prompt, model, size, n, quality, outputFormat } = record;
    draftStore.draft = { ...draftStore.draft, mode: record.operation, prompt, model, size, n, quality, outputFormat };
    if (record.operation !== "edit") return;
    references.clear();
    references.add(record.references);
    references.setMask(record.mask?.blob);
  };
}
