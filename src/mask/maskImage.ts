// The mask as an image file: the one place the painter needs the browser's PNG encoder and
// decoder. The painter takes it through useMaskImage, so component tests (no canvas) pass a fake.
import type { StrokePixels } from "./maskBrush.ts";

export interface MaskImage {
  /** RGBA pixels → PNG. */
  encode(pixels: StrokePixels): Promise<Blob | undefined>;
  /** PNG → RGBA pixels at the given size (a mask always covers its whole image). */
  decode(blob: Blob, size: { width: number; height: number }): Promise<StrokePixels | undefined>;
}

function canvasOf(width: number, height: number) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return { canvas, context: canvas.getContext("2d") };
}

export const browserMaskImage: MaskImage = {
  encode({ data, width, height }) {
    const { canvas, context } = canvasOf(width, height);
    context?.putImageData(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? undefined), "image/png"));
  },
  async decode(blob, { width, height }) {
    const { context } = canvasOf(width, height);
    const bitmap = await createImageBitmap(blob).catch(() => undefined);
    if (!context || !bitmap) return undefined;
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    return { data: context.getImageData(0, 0, width, height).data, width, height };
  },
};
