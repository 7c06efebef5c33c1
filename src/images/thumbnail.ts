// Cards, results and history rows show a small copy of each image, made once per image: a full
// 1536×1024 image drawn at thumbnail size would be decoded whole for every place it is shown.

/** The thumbnail's width in pixels: the widest thumbnail slot (128 CSS px) at 2× density. */
export const THUMBNAIL_WIDTH = 256;

/** What making a thumbnail needs from the browser; tests without a canvas pass their own. */
export interface ThumbnailTools {
  /** Decodes and scales off the main thread (`createImageBitmap` with `resizeWidth`). */
  decodeScaled(blob: Blob, width: number): Promise<ImageBitmap>;
  /** Encodes a decoded image as a small file. */
  encode(bitmap: ImageBitmap): Promise<Blob>;
}

export const browserThumbnailTools: ThumbnailTools = {
  decodeScaled: (blob, width) => createImageBitmap(blob, { resizeWidth: width, resizeQuality: "medium" }),
  async encode(bitmap) {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext("bitmaprenderer")!.transferFromImageBitmap(bitmap);
    return canvas.convertToBlob({ type: "image/webp", quality: 0.85 });
  },
};

/** Files this small cost less to show whole than to scale: they are their own thumbnail (heldImages.ts). */
export const SMALL_IMAGE_BYTES = 64 * 1024;

/**
 * A thumbnail of `image`, `width` pixels wide. Decoding and scaling run off the main thread;
 * only the small result is encoded.
 */
export async function makeThumbnail(image: Blob, tools: ThumbnailTools = browserThumbnailTools, width = THUMBNAIL_WIDTH): Promise<Blob> {
  const bitmap = await tools.decodeScaled(image, width);
  try {
    return await tools.encode(bitmap);
  } finally {
    bitmap.close();
  }
}
