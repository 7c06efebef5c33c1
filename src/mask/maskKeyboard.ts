// Keyboard painting on the mask canvas: arrows move the brush cursor, Shift+arrows paint along the
// move, Space or Enter paints one dab where the cursor is.
import type { Point } from "./maskBrush.ts";

export type MaskKeyAction = { type: "move"; dx: number; dy: number; paint: boolean } | { type: "dab" };

const DIRECTIONS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** What a key press on the canvas does, or undefined when the key is not the painter's. */
export function maskKeyAction(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "metaKey" | "altKey">): MaskKeyAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  if (event.key === " " || event.key === "Enter") return { type: "dab" };
  const direction = DIRECTIONS[event.key];
  return direction && { type: "move", dx: direction[0], dy: direction[1], paint: event.shiftKey };
}

/** A quarter of the brush per press: big brushes cross the image quickly, painted moves overlap. */
export const cursorStep = (brush: number) => Math.max(1, brush / 4);

/** The cursor after a move of `step` pixels, kept on the image. */
export const moveCursor = (cursor: Point, action: { dx: number; dy: number }, step: number, size: { width: number; height: number }): Point => ({
  x: Math.min(size.width, Math.max(0, cursor.x + action.dx * step)),
  y: Math.min(size.height, Math.max(0, cursor.y + action.dy * step)),
});

/**
 * Ctrl+Z (⌘Z) undoes the last stroke; Ctrl+Shift+Z (⌘⇧Z) and Ctrl+Y redo it. Undefined for any
 * other key.
 */
export function maskHistoryKey(event: Pick<KeyboardEvent, "key" | "shiftKey" | "ctrlKey" | "metaKey" | "altKey">): "undo" | "redo" | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return undefined;
  const key = event.key.toLowerCase();
  if (key === "z") return event.shiftKey ? "redo" : "undo";
  return key === "y" && !event.shiftKey ? "redo" : undefined;
}
