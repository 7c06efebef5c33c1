import { useDraftStore } from "../stores/draft.store.ts";
import { useReferencesStore } from "../stores/references.store.ts";

/** "Use as reference": switch the composer to Edit and add the image (gallery, viewer, history). */
export function useReferenceFromImage() {
  const draftStore = useDraftStore();
  const references = useReferencesStore();
  return async (image: { src: string; stem: string; blob?: Blob }) => {
    draftStore.draft = { ...draftStore.draft, mode: "edit" };
    await references.addFromSource(image, `${image.stem}.png`);
  };
}
