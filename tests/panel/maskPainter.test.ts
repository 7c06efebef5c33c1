// @vitest-environment jsdom
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushPromises, mount, type VueWrapper } from "@vue/test-utils";
import { createPinia } from "pinia";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import PanelRoot from "../../src/app/PanelRoot.vue";
import { MASK_IMAGE_KEY } from "../../src/composables/useMaskImage.ts";
import { blankStrokes, brushSegment, type StrokePixels } from "../../src/mask/maskBrush.ts";
import type { MaskImage } from "../../src/mask/maskImage.ts";
import { cursorStep, maskHistoryKey, maskKeyAction, moveCursor } from "../../src/mask/maskKeyboard.ts";
import { maskToStrokes, strokesToMask } from "../../src/mask/maskPixels.ts";
import { memoryReferenceDraft, type SavedReferences } from "../../src/persistence/referenceDraft.ts";
import { useReferencesStore } from "../../src/stores/references.store.ts";
import { panelEnvironment, testEnvironment } from "./testEnvironment.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const pngFile = (name: string) => new File([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], name, { type: "image/png" });
const SIZE = 40;

// The one boundary faked: jsdom has no canvas, so no PNG codec. This one is lossless, like PNG.
const encoded = new WeakMap<Blob, StrokePixels>();
const fakeMaskImage: MaskImage = {
  encode: async (pixels) => {
    const blob = new Blob([], { type: "image/png" });
    encoded.set(blob, { ...pixels, data: pixels.data.slice() });
    return blob;
  },
  decode: async (blob) => encoded.get(blob),
};
/** A stored mask with the area around (x, y) to repaint, as the painter would have made it. */
async function maskWithDab(x: number, y: number) {
  const strokes = blankStrokes(SIZE, SIZE);
  brushSegment(strokes, { x, y }, { x, y }, 4, "paint", [1, 2, 3, 255]);
  return (await fakeMaskImage.encode({ ...strokes, data: strokesToMask(strokes.data) }))!;
}

beforeEach(() => {
  localStorage.clear();
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, apiKeySet: false }));
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

async function mountPanel(saved?: SavedReferences) {
  const environment = testEnvironment({ referenceDraft: () => memoryReferenceDraft(saved) });
  const wrapper = mount(PanelRoot, { global: { plugins: [createPinia(), panelEnvironment(environment)], provide: { [MASK_IMAGE_KEY as symbol]: fakeMaskImage } }, attachTo: document.body });
  await flushPromises();
  await wrapper.get('[data-testid="mode-edit"]').trigger("click");
  return wrapper;
}
async function addReference(wrapper: VueWrapper) {
  const picker = wrapper.get('[data-testid="reference-input"]');
  Object.defineProperty(picker.element, "files", { value: [pngFile("cat.png")], configurable: true });
  await picker.trigger("change");
}
/** Opens the painter and lets its image "load" at SIZE×SIZE (jsdom loads no images). */
async function openPainter(wrapper: VueWrapper, brush?: number) {
  await wrapper.get('[data-testid="paint-mask"]').trigger("click");
  const image = wrapper.get('[data-testid="mask-painter"] img');
  Object.defineProperties(image.element, { naturalWidth: { value: SIZE }, naturalHeight: { value: SIZE } });
  await image.trigger("load");
  if (brush) await wrapper.get('[data-testid="mask-painter"] input[type="range"]').setValue(brush);
  await flushPromises();
  return wrapper.get('[data-testid="mask-painter"] canvas');
}

/** Whether the mask in the references store marks (x, y) for repainting (transparent). */
function repaints(x: number, y: number) {
  const mask = useReferencesStore().mask;
  return mask ? encoded.get(mask)!.data[(y * SIZE + x) * 4 + 3] === 0 : false;
}

describe("keyboard painting on the mask", () => {
  it("is a focusable, named canvas that explains its keys and shows where the brush is", async () => {
    const wrapper = await mountPanel();
    await addReference(wrapper);
    const canvas = await openPainter(wrapper);
    expect(canvas.attributes("tabindex")).toBe("0");
    expect(canvas.attributes("aria-label")).toBe("Mask canvas: paint the area to change");
    expect(document.getElementById(canvas.attributes("aria-describedby")!)!.textContent).toContain("Shift+arrows paint");
    const cursor = wrapper.get('[data-testid="mask-cursor"]');
    expect(cursor.isVisible()).toBe(false);
    await canvas.trigger("focus");
    expect(cursor.isVisible()).toBe(true);
    expect(cursor.attributes("style")).toContain("left: 50%; top: 50%; width: 48px; height: 48px");
    wrapper.unmount();
  });

  it("lets the user set how strongly the overlay covers the image", async () => {
    const wrapper = await mountPanel();
    await addReference(wrapper);
    const canvas = await openPainter(wrapper);
    expect((canvas.element as HTMLCanvasElement).style.opacity).toBe("0.55");
    await wrapper.get('[data-testid="mask-opacity"]').setValue("85");
    expect((canvas.element as HTMLCanvasElement).style.opacity).toBe("0.85");
    expect(wrapper.get('[data-testid="mask-opacity"]').element.closest("label")!.textContent).toContain("Overlay");
    wrapper.unmount();
  });

  it("moves the cursor, paints a dab and a Shift+arrow stroke, erases, and undoes each stroke", async () => {
    const wrapper = await mountPanel();
    await addReference(wrapper);
    const canvas = await openPainter(wrapper, 8);
    const press = async (key: string, times = 1, shiftKey = false) => {
      for (let index = 0; index < times; index += 1) await canvas.trigger("keydown", { key, shiftKey });
      if (shiftKey) await canvas.trigger("keyup", { key: "Shift" });
      await flushPromises();
    };
    const undo = () => wrapper.get('[aria-label="Undo the last stroke"]').trigger("click").then(flushPromises);
    const redo = () => wrapper.get('[aria-label="Redo"]').trigger("click").then(flushPromises);

    await press(" ");
    expect([repaints(20, 20), repaints(26, 20)]).toEqual([true, false]);
    expect(wrapper.get('[data-testid="mask-status"]').text()).toBe("Mask set");

    // Plain arrows only move (2 px a press for an 8 px brush); Shift+arrows paint the way down.
    await press("ArrowRight", 5);
    expect(repaints(30, 20)).toBe(false);
    await press("ArrowDown", 5, true);
    expect([repaints(30, 20), repaints(30, 25), repaints(30, 30), repaints(30, 36)]).toEqual([true, true, true, false]);

    await undo();
    expect([repaints(20, 20), repaints(30, 25)]).toEqual([true, false]);
    await undo();
    expect(useReferencesStore().mask).toBeUndefined();
    expect(wrapper.get('[data-testid="mask-status"]').text()).toBe("No mask: the whole image may change");
    await redo();
    await redo();
    expect([repaints(20, 20), repaints(30, 25)]).toEqual([true, true]);

    // The eraser takes the same keys: back left, then erase the way up over the dab.
    await wrapper.get('[aria-label="Eraser"]').trigger("click");
    await press("ArrowLeft", 5);
    await press("ArrowUp", 5, true);
    expect([repaints(20, 20), repaints(20, 25), repaints(30, 25)]).toEqual([false, false, true]);
    await undo();
    expect(repaints(20, 20)).toBe(true);
    wrapper.unmount();
  });

  it("undoes a stroke with Ctrl+Z and redoes it with Ctrl+Shift+Z, from the canvas or the toolbar", async () => {
    const wrapper = await mountPanel();
    await addReference(wrapper);
    const canvas = await openPainter(wrapper, 8);
    const key = async (target: { trigger: (event: string, options: object) => Promise<unknown> }, options: Partial<KeyboardEvent>) => {
      await target.trigger("keydown", options);
      await flushPromises();
    };
    await key(canvas, { key: " " });
    expect(repaints(20, 20)).toBe(true);
    await key(canvas, { key: "z", ctrlKey: true });
    expect(useReferencesStore().mask).toBeUndefined();
    await key(canvas, { key: "Z", ctrlKey: true, shiftKey: true });
    expect(repaints(20, 20)).toBe(true);
    // From the toolbar too (focus on a button or slider), and with ⌘ on a Mac.
    const opacity = wrapper.get('[data-testid="mask-opacity"]');
    await key(opacity, { key: "z", metaKey: true });
    expect(useReferencesStore().mask).toBeUndefined();
    await key(opacity, { key: "y", ctrlKey: true });
    expect(repaints(20, 20)).toBe(true);
    wrapper.unmount();
  });
});

describe("a mask painted before", () => {
  it("is shown again after Generate → Edit, and undo stops at it instead of wiping it", async () => {
    const wrapper = await mountPanel();
    await addReference(wrapper);
    let canvas = await openPainter(wrapper, 8);
    await canvas.trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect(repaints(20, 20)).toBe(true);

    await wrapper.get('[data-testid="mode-generate"]').trigger("click");
    await wrapper.get('[data-testid="mode-edit"]').trigger("click");
    canvas = await openPainter(wrapper, 8);
    expect(wrapper.get('[aria-label="Undo the last stroke"]').attributes("disabled")).toBeDefined();

    // A new stroke adds to the old mask rather than replacing it.
    await canvas.trigger("keydown", { key: "ArrowUp", shiftKey: true });
    await canvas.trigger("keyup", { key: "Shift" });
    await flushPromises();
    expect([repaints(20, 20), repaints(20, 15)]).toEqual([true, true]);
    await wrapper.get('[aria-label="Undo the last stroke"]').trigger("click");
    await flushPromises();
    expect([repaints(20, 20), repaints(20, 15)]).toEqual([true, false]);
    expect(wrapper.get('[aria-label="Undo the last stroke"]').attributes("disabled")).toBeDefined();
    wrapper.unmount();
  });

  it("comes back from the saved draft after a reload, so invert flips it rather than a blank mask", async () => {
    const mask = await maskWithDab(10, 10);
    const wrapper = await mountPanel({ images: [{ name: "cat.png", type: "image/png", blob: pngFile("cat.png") }], mask });
    await flushPromises();
    await openPainter(wrapper);
    expect(useReferencesStore().mask).toBe(mask);
    await wrapper.get('[aria-label="Invert mask"]').trigger("click");
    await flushPromises();
    expect([repaints(10, 10), repaints(30, 30)]).toEqual([false, true]);
    wrapper.unmount();
  });
});

describe("mask keyboard and brush rules", () => {
  it("maps the painter's keys and leaves shortcuts with modifiers alone", () => {
    const key = (key: string, modifiers: Partial<KeyboardEvent> = {}) => maskKeyAction({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...modifiers });
    expect(key("ArrowLeft")).toEqual({ type: "move", dx: -1, dy: 0, paint: false });
    expect(key("ArrowDown", { shiftKey: true })).toEqual({ type: "move", dx: 0, dy: 1, paint: true });
    expect([key(" "), key("Enter")]).toEqual([{ type: "dab" }, { type: "dab" }]);
    expect([key("z", { ctrlKey: true }), key("ArrowLeft", { altKey: true }), key("a")]).toEqual([undefined, undefined, undefined]);
  });

  it("maps Ctrl+Z to undo and Ctrl+Shift+Z or Ctrl+Y to redo, and nothing else", () => {
    const key = (key: string, modifiers: Partial<KeyboardEvent> = {}) => maskHistoryKey({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...modifiers });
    expect([key("z", { ctrlKey: true }), key("z", { metaKey: true }), key("Z", { ctrlKey: true, shiftKey: true }), key("y", { ctrlKey: true })]).toEqual(["undo", "undo", "redo", "redo"]);
    expect([key("z"), key("z", { ctrlKey: true, altKey: true }), key("x", { ctrlKey: true })]).toEqual([undefined, undefined, undefined]);
  });

  it("steps a quarter of the brush, at least a pixel, and keeps the cursor on the image", () => {
    expect([cursorStep(48), cursorStep(2)]).toEqual([12, 1]);
    expect(moveCursor({ x: 5, y: 5 }, { dx: -1, dy: 0 }, 12, { width: 40, height: 40 })).toEqual({ x: 0, y: 5 });
    expect(moveCursor({ x: 35, y: 5 }, { dx: 0, dy: 1 }, 12, { width: 40, height: 40 })).toEqual({ x: 35, y: 17 });
  });

  it("paints a round-capped line, erases it, and turns a mask back into the strokes it came from", () => {
    const strokes = blankStrokes(20, 20);
    brushSegment(strokes, { x: 5, y: 10 }, { x: 15, y: 10 }, 2, "paint", [9, 9, 9, 255]);
    const alpha = (x: number, y: number) => strokes.data[(y * 20 + x) * 4 + 3];
    expect([alpha(5, 10), alpha(10, 10), alpha(15, 10), alpha(10, 13), alpha(18, 10)]).toEqual([255, 255, 255, 0, 0]);
    expect([...maskToStrokes(strokesToMask(strokes.data), [9, 9, 9, 255])]).toEqual([...strokes.data]);
    expect(brushSegment(strokes, { x: 10.5, y: 10.5 }, { x: 10.5, y: 10.5 }, 0, "erase", [9, 9, 9, 255])).toEqual({ x: 9, y: 9, width: 4, height: 4 });
    expect([alpha(10, 10), alpha(9, 10)]).toEqual([0, 255]);
  });

  it("paints exactly the pixels whose centre is within reach of the line, and reports an area holding them", () => {
    const coordinate = fc.double({ min: -5, max: 25, noNaN: true });
    fc.assert(
      fc.property(coordinate, coordinate, coordinate, coordinate, fc.double({ min: 0, max: 12, noNaN: true }), (x1, y1, x2, y2, radius) => {
        const strokes = blankStrokes(20, 16);
        const area = brushSegment(strokes, { x: x1, y: y1 }, { x: x2, y: y2 }, radius, "paint", [1, 2, 3, 255]);
        const reach = Math.max(radius, Math.SQRT1_2);
        for (let y = 0; y < 16; y += 1) {
          for (let x = 0; x < 20; x += 1) {
            const dx = x2 - x1;
            const dy = y2 - y1;
            const along = dx || dy ? Math.min(1, Math.max(0, ((x + 0.5 - x1) * dx + (y + 0.5 - y1) * dy) / (dx * dx + dy * dy))) : 0;
            const distance = Math.hypot(x + 0.5 - (x1 + along * dx), y + 0.5 - (y1 + along * dy));
            const painted = strokes.data[(y * 20 + x) * 4 + 3] === 255;
            // Pixels on the very edge may go either way through rounding.
            if (painted !== distance <= reach && Math.abs(distance - reach) > 1e-9) return false;
            if (painted && (x < area.x || x >= area.x + area.width || y < area.y || y >= area.y + area.height)) return false;
          }
        }
        return true;
      }),
    );
  });
});
