// Mask semantics of the OpenAI edits API: transparent pixels are the area to repaint, opaque pixels
// are kept. The painter shows strokes; these functions turn stroke alpha into that mask.

/** Stroke pixels (alpha > 0) become transparent, the rest opaque black. RGBA in, RGBA out. */
export function strokesToMask(strokes: Uint8ClampedArray): Uint8ClampedArray {
  const mask = new Uint8ClampedArray(strokes.length);
  for (let index = 0; index < strokes.length; index += 4) mask[index + 3] = strokes[index + 3]! > 0 ? 0 : 255;
  return mask;
}

/** The inverse of strokesToMask: the mask's transparent pixels become strokes of `color`. */
export function maskToStrokes(mask: Uint8ClampedArray, color: readonly [number, number, number, number]): Uint8ClampedArray {
  const strokes = new Uint8ClampedArray(mask.length);
  for (let index = 0; index < mask.length; index += 4) if (mask[index + 3] === 0) strokes.set(color, index);
  return strokes;
}

/** Painted ↔ unpainted, keeping the stroke colour. */
export function invertStrokes(strokes: Uint8ClampedArray, color: readonly [number, number, number, number]): Uint8ClampedArray {
  const inverted = new Uint8ClampedArray(strokes.length);
  for (let index = 0; index < strokes.length; index += 4) {
    if (strokes[index + 3]! > 0) continue;
    inverted[index] = color[0];
    inverted[index + 1] = color[1];
    inverted[index + 2] = color[2];
    inverted[index + 3] = color[3];
  }
  return inverted;
}

export const hasStrokes = (strokes: Uint8ClampedArray) => strokes.some((value, index) => index % 4 === 3 && value > 0);

/** A bounded undo/redo history of snapshots. */
export function createUndoStack<T>(limit = 20) {
  let past: T[] = [];
  let future: T[] = [];
  return {
    /** Records the state before a change. */
    push(state: T) {
      past = [...past.slice(-(limit - 1)), state];
      future = [];
    },
    undo(current: T): T | undefined {
      const previous = past.pop();
      if (previous !== undefined) future.push(current);
      return previous;
    },
    redo(current: T): T | undefined {
      const next = future.pop();
      if (next !== undefined) past.push(current);
      return next;
    },
    get canUndo() {
      return past.length > 0;
    },
    get canRedo() {
      return future.length > 0;
    },
    reset() {
      past = [];
      future = [];
    },
  };
}
