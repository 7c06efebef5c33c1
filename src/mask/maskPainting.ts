// The mask painter's state, with no canvas and no Vue: which stroke is under way, the strokes, and
// undo. Each step returns what to draw again; the painter draws and publishes (useMaskPainter).
import { blankStrokes, brushSegment, copyStrokes, type Area, type BrushMode, type Point, type StrokePixels } from "./maskBrush.ts";
import { createUndoStack, invertStrokes } from "./maskPixels.ts";

/**
 * `noImage` until the reference image has loaded; `idle` between strokes; `pointerStroke` while the
 * pointer is down (painting from its last point); `keyStroke` while Shift+arrows paint (held down
 * they make one stroke, one undo step, like a pointer drag).
 */
export type PaintingState =
  | { name: "noImage" }
  | { name: "idle"; strokes: StrokePixels }
  | { name: "pointerStroke"; strokes: StrokePixels; last: Point }
  | { name: "keyStroke"; strokes: StrokePixels };

/** The brush in image pixels. */
export interface Brush {
  radius: number;
  mode: BrushMode;
}

/** What a step changed: `area` to draw again (all of it when absent); `done`: a stroke or change ended, so the mask is published. */
export interface Painted {
  area?: Area;
  done: boolean;
}

export function createMaskPainting(color: readonly [number, number, number, number]) {
  let state: PaintingState = { name: "noImage" };
  // Counts the finished changes: a mask encoded for an older one is not published.
  let revision = 0;
  const stack = createUndoStack<StrokePixels>();
  const strokesOf = () => (state.name === "noImage" ? undefined : state.strokes);
  const idle = (strokes: StrokePixels): PaintingState => ({ name: "idle", strokes });
  const paint = (strokes: StrokePixels, from: Point, to: Point, brush: Brush) => brushSegment(strokes, from, to, brush.radius, brush.mode, color);
  /** Starts an undoable stroke: undo brings back what is there now. */
  const begin = (strokes: StrokePixels) => stack.push(copyStrokes(strokes));
  const done = (area?: Area): Painted => {
    revision += 1;
    return { ...(area ? { area } : {}), done: true };
  };
  /** Any step but a Shift+arrow paint ends a key stroke. */
  const endKeyStroke = () => {
    if (state.name === "keyStroke") state = idle(state.strokes);
  };
  /** A whole-mask change (clear, invert, undo, redo): one step, drawn whole. */
  const replace = (next: (strokes: StrokePixels) => StrokePixels | undefined): Painted | undefined => {
    const strokes = strokesOf();
    if (!strokes) return undefined;
    state = idle(next(strokes) ?? strokes);
    return done();
  };

  return {
    get state(): Readonly<PaintingState> {
      return state;
    },
    get strokes() {
      return strokesOf();
    },
    get revision() {
      return revision;
    },
    get canUndo() {
      return stack.canUndo;
    },
    get canRedo() {
      return stack.canRedo;
    },
    /** A newly loaded image: blank strokes of its size, nothing to undo. */
    load(width: number, height: number): StrokePixels {
      const strokes = blankStrokes(width, height);
      state = idle(strokes);
      stack.reset();
      return strokes;
    },
    /**
     * A mask painted before becomes the strokes painting goes on from (undo stops there), unless
     * another image loaded since `blank` or painting already started. Says whether it did.
     */
    restore(blank: StrokePixels, data: Uint8ClampedArray): boolean {
      if (state.name === "noImage" || state.strokes !== blank || stack.canUndo || stack.canRedo) return false;
      state = idle({ ...blank, data });
      return true;
    },
    pointerDown(point: Point, brush: Brush): Painted | undefined {
      const strokes = strokesOf();
      if (!strokes) return undefined;
      begin(strokes);
      state = { name: "pointerStroke", strokes, last: point };
      return { area: paint(strokes, point, point, brush), done: false };
    },
    pointerMove(point: Point, brush: Brush): Painted | undefined {
      if (state.name !== "pointerStroke") return undefined;
      const area = paint(state.strokes, state.last, point, brush);
      state = { ...state, last: point };
      return { area, done: false };
    },
    /** The pointer went up, left or was cancelled: the stroke ends. */
    pointerUp(): Painted | undefined {
      if (state.name !== "pointerStroke") return undefined;
      state = idle(state.strokes);
      return done();
    },
    /** Space or Enter: one dab where the cursor is, its own undo step. */
    dab(point: Point, brush: Brush): Painted | undefined {
      const strokes = strokesOf();
      if (!strokes) return undefined;
      endKeyStroke();
      begin(strokes);
      return done(paint(strokes, point, point, brush));
    },
    /** Shift+arrow: paints along the move; the first of a run starts the stroke. */
    keyPaint(from: Point, to: Point, brush: Brush): Painted | undefined {
      const strokes = strokesOf();
      if (!strokes) return undefined;
      if (state.name !== "keyStroke") {
        begin(strokes);
        state = { name: "keyStroke", strokes };
      }
      return done(paint(strokes, from, to, brush));
    },
    /** Shift released, focus gone, or a plain move: the next Shift+arrow starts a new stroke. */
    endKeyStroke,
    clear: () =>
      replace((strokes) => {
        begin(strokes);
        return blankStrokes(strokes.width, strokes.height);
      }),
    invert: () =>
      replace((strokes) => {
        begin(strokes);
        return { ...strokes, data: invertStrokes(strokes.data, color) };
      }),
    undo: () => replace((strokes) => stack.undo(strokes)),
    redo: () => replace((strokes) => stack.redo(strokes)),
  };
}

export type MaskPainting = ReturnType<typeof createMaskPainting>;
