import { describe, expect, it } from "vitest";
import { createMaskPainting } from "../../src/mask/maskPainting.ts";
import type { StrokePixels } from "../../src/mask/maskBrush.ts";

const COLOR = [1, 2, 3, 255] as const;
const brush = { radius: 2, mode: "paint" as const };
const painted = (strokes: StrokePixels | undefined, x: number, y: number) => strokes!.data[(y * strokes!.width + x) * 4 + 3]! > 0;

describe("the mask painter's named states", () => {
  it("paints nothing before its image loaded", () => {
    const painting = createMaskPainting(COLOR);
    expect(painting.state.name).toBe("noImage");
    expect(painting.pointerDown({ x: 1, y: 1 }, brush)).toBeUndefined();
    expect(painting.dab({ x: 1, y: 1 }, brush)).toBeUndefined();
    expect(painting.undo()).toBeUndefined();
  });

  it("draws a pointer drag as one stroke from its last point, published once, undone in one step", () => {
    const painting = createMaskPainting(COLOR);
    painting.load(20, 20);
    expect(painting.pointerMove({ x: 5, y: 5 }, brush)).toBeUndefined();
    expect(painting.pointerDown({ x: 2, y: 10 }, brush)).toMatchObject({ done: false });
    expect(painting.state).toMatchObject({ name: "pointerStroke", last: { x: 2, y: 10 } });
    expect(painting.pointerMove({ x: 17, y: 10 }, brush)).toEqual({ done: false, area: { x: 0, y: 8, width: 20, height: 5 } });
    expect(painting.revision).toBe(0);
    expect(painting.pointerUp()).toEqual({ done: true });
    expect(painting.pointerUp()).toBeUndefined();
    expect([painting.state.name, painting.revision, painting.canUndo]).toEqual(["idle", 1, true]);
    expect([painted(painting.strokes, 10, 10), painted(painting.strokes, 10, 3)]).toEqual([true, false]);
    painting.undo();
    expect(painted(painting.strokes, 10, 10)).toBe(false);
    expect(painting.canRedo).toBe(true);
  });

  it("makes Shift+arrows held down one stroke until it ends, and a dab its own step", () => {
    const painting = createMaskPainting(COLOR);
    painting.load(20, 20);
    painting.keyPaint({ x: 2, y: 2 }, { x: 2, y: 6 }, brush);
    painting.keyPaint({ x: 2, y: 6 }, { x: 2, y: 10 }, brush);
    expect(painting.state.name).toBe("keyStroke");
    painting.endKeyStroke();
    painting.dab({ x: 15, y: 15 }, brush);
    expect([painted(painting.strokes, 2, 8), painted(painting.strokes, 15, 15)]).toEqual([true, true]);
    painting.undo();
    expect([painted(painting.strokes, 2, 8), painted(painting.strokes, 15, 15)]).toEqual([true, false]);
    painting.undo();
    expect(painted(painting.strokes, 2, 3)).toBe(false);
  });

  it("takes a stored mask only onto the blank strokes of the same image, before any painting", () => {
    const painting = createMaskPainting(COLOR);
    const blank = painting.load(4, 4);
    const full = new Uint8ClampedArray(4 * 4 * 4).fill(255);
    expect(painting.restore(blank, full)).toBe(true);
    expect(painting.canUndo).toBe(false);
    const next = painting.load(4, 4);
    painting.dab({ x: 0, y: 0 }, brush);
    expect(painting.restore(next, full)).toBe(false);
    expect(painting.restore(blank, full)).toBe(false);
  });

  it("clears and inverts as one undoable change each", () => {
    const painting = createMaskPainting(COLOR);
    painting.load(10, 10);
    painting.dab({ x: 5, y: 5 }, brush);
    painting.invert();
    expect([painted(painting.strokes, 5, 5), painted(painting.strokes, 0, 0)]).toEqual([false, true]);
    painting.clear();
    expect(painted(painting.strokes, 0, 0)).toBe(false);
    painting.undo();
    expect(painted(painting.strokes, 0, 0)).toBe(true);
    expect(painting.revision).toBe(4);
  });
});
