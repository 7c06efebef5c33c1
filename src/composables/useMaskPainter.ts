import { ref, type Ref } from "vue";
import type { Area, StrokePixels } from "../mask/maskBrush.ts";
import { createMaskPainting, type Painted } from "../mask/maskPainting.ts";
import { hasStrokes, maskToStrokes, strokesToMask } from "../mask/maskPixels.ts";
import { useReferencesStore } from "../stores/references.store.ts";
import { useMaskImage } from "./useMaskImage.ts";

// Strokes are drawn opaque and shown through CSS opacity, so overlapping strokes look even.
const COLOR = [229, 83, 75, 255] as const;

/**
 * The mask painter on a canvas: the painting state (src/mask/maskPainting.ts) drawn onto it, and
 * the mask (PNG, transparent where painted) published to the references store after each stroke.
 */
export function useMaskPainter(canvas: Ref<HTMLCanvasElement | undefined>) {
  const references = useReferencesStore();
  const maskImage = useMaskImage();
  const painting = createMaskPainting(COLOR);
  const canUndo = ref(false);
  const canRedo = ref(false);

  /** Draws the strokes, or only the area a brush move changed (a full frame per move is slow on big images). */
  function render(area?: Area) {
    const strokes = painting.strokes;
    const context = canvas.value?.getContext("2d");
    if (!strokes || !context) return;
    const { x, y, width, height } = area ?? { x: 0, y: 0, width: strokes.width, height: strokes.height };
    context.putImageData(new ImageData(strokes.data as Uint8ClampedArray<ArrayBuffer>, strokes.width, strokes.height), 0, 0, x, y, width, height);
  }

  /** Publishes the mask, or removes it when nothing is painted; the latest change wins. */
  function publish() {
    const strokes = painting.strokes;
    if (!strokes) return;
    const revision = painting.revision;
    if (!hasStrokes(strokes.data)) return references.setMask(undefined);
    void maskImage.encode({ ...strokes, data: strokesToMask(strokes.data) }).then((blob) => {
      if (revision === painting.revision) references.setMask(blob);
    });
  }

  /** Draws what a step changed; a finished step updates undo and redo and publishes the mask. */
  function show(painted: Painted | undefined) {
    if (!painted) return;
    render(painted.area);
    if (!painted.done) return;
    canUndo.value = painting.canUndo;
    canRedo.value = painting.canRedo;
    publish();
  }

  /**
   * A newly loaded image of this size. A mask painted before (the painter was closed, the mode
   * switched, the draft came back after a reload) is where painting goes on: its transparent area
   * becomes strokes, and undo stops there.
   */
  async function load(width: number, height: number) {
    const blank: StrokePixels = painting.load(width, height);
    canUndo.value = false;
    canRedo.value = false;
    render();
    const mask = references.mask;
    if (!mask) return;
    const decoded = await maskImage.decode(mask, blank);
    // A newer image, or painting that started while the mask was decoded, wins over the old mask.
    if (decoded && painting.restore(blank, maskToStrokes(decoded.data, COLOR))) render();
  }

  return { painting, canUndo, canRedo, load, show };
}
