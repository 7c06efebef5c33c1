import { defineStore } from "pinia";
import { onScopeDispose, ref, shallowRef, watch } from "vue";
import { EDIT_IMAGES_MAX, type ImageFile } from "../../machines/index.ts";
import { dataUrlToBlob } from "../history/historyRecord.ts";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";

export interface ReferenceImage {
  id: string;
  name: string;
  type: string;
  blob: Blob;
  url: string;
}

export type ReferenceNotice = "tooMany" | "duplicate" | "notImage" | "unreadable" | "notSaved";
const ACCEPTED = new Set(["image/png", "image/jpeg", "image/webp"]);

/**
 * The edit's reference images (at most 16) and the mask painted on the first one. Like the prompt
 * draft they survive a reload: every change is saved, and what was saved comes back on mount.
 */
export const useReferencesStore = defineStore("references", () => {
  const images = shallowRef<ReferenceImage[]>([]);
  const mask = shallowRef<Blob>();
  const notice = ref<ReferenceNotice>();
  const { referenceDraft, objectUrls } = usePanelEnvironment();
  const backend = referenceDraft();
  let restored = false;
  let disposed = false;
  let counter = 0;

  const objectUrl = (blob: Blob) => objectUrls.create(blob);
  const release = (image: ReferenceImage) => image.url && objectUrls.revoke(image.url);
  const reference = (file: { name: string; type: string; blob: Blob }): ReferenceImage => {
    counter += 1;
    return { id: `ref-${counter}`, name: file.name || `reference-${counter}.${file.type.split("/")[1]}`, type: file.type, blob: file.blob, url: objectUrl(file.blob) };
  };

  /** Adds files in order; refuses non-images and anything past the limit, saying why. */
  const add = (files: { name: string; type: string; blob: Blob }[]) => {
    notice.value = undefined;
    const next = [...images.value];
    for (const file of files) {
      if (!ACCEPTED.has(file.type)) {
        notice.value = "notImage";
        continue;
      }
      // The same file (name, size, type) twice would only send the same bytes twice.
      if (next.some((image) => image.name === file.name && image.type === file.type && image.blob.size === file.blob.size)) {
        notice.value = "duplicate";
        continue;
      }
      if (next.length >= EDIT_IMAGES_MAX) {
        notice.value = "tooMany";
        break;
      }
      next.push(reference(file));
    }
    images.value = next;
  };

  /**
   * "Use as reference" from the gallery or history: the bytes the panel holds (a history Blob, a
   * data URL) directly; only a remote image is fetched (a blob: URL never is: the page's policy refuses it).
   */
  const addFromSource = async ({ src, blob: held }: { src: string; blob?: Blob }, name: string, fetcher: typeof fetch = globalThis.fetch) => {
    let blob = held ?? dataUrlToBlob(src);
    if (!blob) {
      try {
        blob = await (await fetcher(src)).blob();
      } catch {
        notice.value = "unreadable";
        return;
      }
    }
    add([{ name, type: blob.type, blob }]);
  };

  const remove = (id: string) => {
    const index = images.value.findIndex((image) => image.id === id);
    if (index < 0) return;
    release(images.value[index]!);
    // The mask belongs to the first image: it goes when that image goes.
    if (index === 0) mask.value = undefined;
    images.value = images.value.filter((image) => image.id !== id);
  };
  const clear = () => {
    images.value.forEach(release);
    images.value = [];
    mask.value = undefined;
  };
  const setMask = (blob: Blob | undefined) => (mask.value = blob);
  /** An earlier edit's references and mask take the place of the current ones. */
  const replaceWith = (files: { name: string; type: string; blob: Blob }[], maskBlob?: Blob) => {
    clear();
    add(files);
    setMask(maskBlob);
  };
  /** A result image (its bytes where held, else its address) joins the references, named after its stem. */
  const useImage = (image: { src: string; stem: string; blob?: Blob }) => addFromSource(image, `${image.stem}.png`);

  /** The request's images and mask as the machines take them: the Blobs themselves, the mask named after the first image. */
  const toRequestFiles = (): { images: ImageFile[]; mask?: ImageFile } => {
    const files = images.value.map((image): ImageFile => ({ fileName: image.name, contentType: image.type, blob: image.blob }));
    const first = images.value[0];
    const stem = first ? first.name.replace(/\.[^.]+$/, "") : "image";
    return { images: files, ...(mask.value && first ? { mask: { fileName: `${stem}-mask.png`, contentType: "image/png", blob: mask.value } } : {}) };
  };

  // Saved images go first: images added while loading come after them, and a saved mask still
  // belongs to the first image. Saving waits for the restore so it never overwrites what is stored.
  void backend.load().then(
    (saved) => {
      if (disposed) return;
      restored = true;
      if (!saved?.images.length) return;
      const combined = [...saved.images.slice(0, EDIT_IMAGES_MAX).map(reference), ...images.value];
      const dropped = combined.splice(EDIT_IMAGES_MAX);
      dropped.forEach(release);
      if (dropped.length) notice.value = "tooMany";
      images.value = combined;
      if (saved.mask) mask.value = saved.mask;
    },
    () => (restored = true),
  );
  watch([images, mask], () => {
    if (!restored) return;
    const saved = { images: images.value.map(({ name, type, blob }) => ({ name, type, blob })), ...(mask.value ? { mask: mask.value } : {}) };
    backend.save(saved).catch(() => {
      if (!disposed) notice.value = "notSaved";
    });
  });

  onScopeDispose(() => {
    disposed = true;
    images.value.forEach(release);
    backend.close();
  });

  return { images, mask, notice, add, addFromSource, remove, clear, setMask, replaceWith, useImage, toRequestFiles };
});
