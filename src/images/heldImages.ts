import { shallowReactive } from "vue";
import { makeThumbnail as browserThumbnail, SMALL_IMAGE_BYTES } from "./thumbnail.ts";

/** An image as the panel holds it: its bytes (a Blob), or a validated remote URL. */
export type ImageSource = Blob | string;

export interface HeldImagesOptions {
  objectUrls: { create(blob: Blob): string; revoke(url: string): void };
  makeThumbnail?: (image: Blob) => Promise<Blob>;
}

/**
 * The panel's images and their addresses: one object URL per Blob and one thumbnail per Blob,
 * each made on first use and all released with the panel. A remote image is its own address and
 * thumbnail (the page's policy refuses to fetch it, so it cannot be scaled here).
 */
export function createHeldImages({ objectUrls, makeThumbnail = browserThumbnail }: HeldImagesOptions) {
  const urls = new Map<Blob, string>();
  const blobs = new Map<string, Blob>();
  // Reactive: a card that asked before its thumbnail was ready shows it once it is.
  const thumbnails = shallowReactive(new Map<Blob, string>());
  const making = new Set<Blob>();
  let disposed = false;

  const url = (source: ImageSource): string => {
    if (typeof source === "string") return source;
    let address = urls.get(source);
    if (address === undefined) {
      address = objectUrls.create(source);
      urls.set(source, address);
      blobs.set(address, source);
    }
    return address;
  };

  /** The thumbnail's address, or undefined while it is being made (asking starts it, once). */
  const thumbnail = (source: ImageSource): string | undefined => {
    if (typeof source === "string") return source;
    if (source.size <= SMALL_IMAGE_BYTES) return url(source);
    const made = thumbnails.get(source);
    if (made !== undefined || making.has(source)) return made;
    making.add(source);
    makeThumbnail(source).then(
      (small) => {
        making.delete(source);
        if (!disposed) thumbnails.set(source, url(small));
      },
      // An image the browser cannot scale is shown whole.
      () => {
        making.delete(source);
        if (!disposed) thumbnails.set(source, url(source));
      },
    );
    return undefined;
  };

  /** The Blob behind an address `url` made: image actions use the bytes, never re-fetch the URL. */
  const blobAt = (address: string) => blobs.get(address);

  const dispose = () => {
    disposed = true;
    for (const address of urls.values()) objectUrls.revoke(address);
    urls.clear();
    blobs.clear();
    thumbnails.clear();
  };

  return { url, thumbnail, blobAt, dispose };
}

export type HeldImages = ReturnType<typeof createHeldImages>;
