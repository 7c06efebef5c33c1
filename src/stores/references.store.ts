import { defineStore } from "pinia";
import { onScopeDispose, ref, shallowRef } from "vue";
import { EDIT_IMAGES_MAX, type ImageFile } from "../../machines/index.ts";
import { blobToBase64, dataUrlToBlob } from "../history/historyRecord.ts";

export interface ReferenceImage {
  id: string;
  name: string;
  type: string;
  blob: Blob;
  url: string;
}

export type ReferenceNotice = "tooMany" | "notImage" | "unreadable";
const ACCEPTED = new Set(["image/png", "image/jpeg", "image/webp"]);

/** The edit's reference images (at most 16) and the mask painted on the first one. */
export const useReferencesStore = defineStore("references", () => {
  const images = shallowRef<ReferenceImage[]>([]);
  const mask = shallowRef<Blob>();
  const notice = ref<ReferenceNotice>();
  let counter = 0;

  const objectUrl = (blob: Blob) => globalThis.URL?.createObjectURL?.(blob) ?? "";
  const release = (image: ReferenceImage) => image.url && globalThis.URL?.revokeObjectURL?.(image.url);

  /** Adds files in order; refuses non-images and anything past the limit, saying why. */
  const add = (files: { name: string; type: string; blob: Blob }[]) => {
    notice.value = undefined;
    const next = [...images.value];
    for (const file of files) {
      if (!ACCEPTED.has(file.type)) {
        notice.value = "notImage";
        continue;
      }
      if (next.length >= EDIT_IMAGES_MAX) {
        notice.value = "tooMany";
        break;
      }
      counter += 1;
      next.push({ id: `ref-${counter}`, name: file.name || `reference-${counter}.${file.type.split("/")[1]}`, type: file.type, blob: file.blob, url: objectUrl(file.blob) });
    }
    images.value = next;
  };

  /** "Use as reference" from the gallery or history: data URLs directly, remote images fetched. */
  const addFromSource = async (src: string, name: string, fetcher: typeof fetch = globalThis.fetch) => {
    let blob = dataUrlToBlob(src);
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

  /** The request's images and mask as the machines take them (base64 without a data: prefix). */
  const toRequestFiles = async (): Promise<{ images: ImageFile[]; mask?: ImageFile }> => {
    const file = async (name: string, type: string, blob: Blob): Promise<ImageFile> => ({ fileName: name, contentType: type, base64: await blobToBase64(blob) });
    const files = await Promise.all(images.value.map((image) => file(image.name, image.type, image.blob)));
    const first = images.value[0];
    const stem = first ? first.name.replace(/\.[^.]+$/, "") : "image";
    return { images: files, ...(mask.value && first ? { mask: await file(`${stem}-mask.png`, "image/png", mask.value) } : {}) };
  };

  onScopeDispose(() => images.value.forEach(release));

  return { images, mask, notice, add, addFromSource, remove, clear, setMask, toRequestFiles };
});
