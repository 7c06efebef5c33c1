// The painter's stroke layer is plain RGBA pixels, painted here rather than by the canvas, so the
// same strokes come from the pointer and the keyboard and tests can read them without a canvas.

export interface StrokePixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}
export type BrushMode = "paint" | "erase";

export const blankStrokes = (width: number, height: number): StrokePixels => ({ data: new Uint8ClampedArray(width * height * 4), width, height });
export const copyStrokes = (strokes: StrokePixels): StrokePixels => ({ ...strokes, data: strokes.data.slice() });

/** Squared distance from (x, y) to the segment from → to. */
function distanceSquared(x: number, y: number, from: Point, to: Point) {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = dx * dx + dy * dy;
  const along = length === 0 ? 0 : Math.min(1, Math.max(0, ((x - from.x) * dx + (y - from.y) * dy) / length));
  const nearX = from.x + along * dx;
  const nearY = from.y + along * dy;
  return (x - nearX) ** 2 + (y - nearY) ** 2;
}

/**
 * Paints (or erases) a round-capped line of the given radius in place; from = to is a dab. The
 * radius never drops below half a pixel's diagonal, so a dab always covers the pixel it is on.
 * The shape is convex, so each row is one run of pixels: found from both ends, then filled whole.
 * Returns the rectangle it may have changed, so only that needs drawing again.
 */
export function brushSegment(strokes: StrokePixels, from: Point, to: Point, radius: number, mode: BrushMode, color: readonly [number, number, number, number]): Area {
  const reach = Math.max(radius, Math.SQRT1_2);
  const left = Math.max(0, Math.floor(Math.min(from.x, to.x) - reach));
  const right = Math.min(strokes.width - 1, Math.ceil(Math.max(from.x, to.x) + reach));
  const top = Math.max(0, Math.floor(Math.min(from.y, to.y) - reach));
  const bottom = Math.min(strokes.height - 1, Math.ceil(Math.max(from.y, to.y) + reach));
  // One 32-bit word per pixel, built from the bytes so it is right whatever the byte order.
  const pixels = new Uint32Array(strokes.data.buffer, strokes.data.byteOffset, strokes.width * strokes.height);
  const word = new Uint32Array(Uint8ClampedArray.from(mode === "paint" ? color : [0, 0, 0, 0]).buffer)[0]!;
  const inside = (x: number, y: number) => distanceSquared(x + 0.5, y + 0.5, from, to) <= reach * reach;
  for (let y = top; y <= bottom; y += 1) {
    let first = left;
    while (first <= right && !inside(first, y)) first += 1;
    if (first > right) continue;
    let last = right;
    while (!inside(last, y)) last -= 1;
    pixels.fill(word, y * strokes.width + first, y * strokes.width + last + 1);
  }
  return { x: left, y: top, width: Math.max(0, right - left + 1), height: Math.max(0, bottom - top + 1) };
}
