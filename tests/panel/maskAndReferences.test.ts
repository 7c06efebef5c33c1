// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { createUndoStack, hasStrokes, invertStrokes, strokesToMask } from "../../src/mask/maskPixels.ts";
import { memoryReferenceDraft, readSavedReferences, type ReferenceDraftBackend, type SavedReferences } from "../../src/persistence/referenceDraft.ts";
import { useReferencesStore } from "../../src/stores/references.store.ts";
import { inTestApp, testEnvironment } from "./testEnvironment.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const png = (name: string) => ({ name, type: "image/png", blob: new Blob([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], { type: "image/png" }) });

describe("mask pixels", () => {
  it("makes painted pixels transparent (the area to edit) and the rest opaque", () => {
    const strokes = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 0, 0]);
    expect([...strokesToMask(strokes)]).toEqual([0, 0, 0, 0, 0, 0, 0, 255]);
  });

  it("inverts painted and unpainted areas", () => {
    const strokes = new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 0, 0]);
    const inverted = invertStrokes(strokes, [1, 2, 3, 255]);
    expect([...inverted]).toEqual([0, 0, 0, 0, 1, 2, 3, 255]);
    expect(hasStrokes(inverted)).toBe(true);
    expect(hasStrokes(new Uint8ClampedArray(8))).toBe(false);
  });

  it("undoes and redoes in order, and a new change clears redo", () => {
    const stack = createUndoStack<number>(3);
    stack.push(0);
    stack.push(1);
    expect(stack.undo(2)).toBe(1);
    expect(stack.redo(1)).toBe(2);
    expect(stack.undo(2)).toBe(1);
    stack.push(1);
    expect(stack.canRedo).toBe(false);
    for (let index = 0; index < 10; index += 1) stack.push(index);
    expect([stack.undo(99), stack.undo(9), stack.undo(8), stack.undo(7)]).toEqual([9, 8, 7, undefined]);
  });
});

describe("reference images", () => {
  it("takes at most 16 images and says why it refused the rest", () => {
    const references = inTestApp(() => useReferencesStore());
    references.add(Array.from({ length: 18 }, (_, index) => png(`r${index}.png`)));
    expect(references.images).toHaveLength(16);
    expect(references.notice).toBe("tooMany");
    references.clear();
    references.add([{ name: "notes.txt", type: "text/plain", blob: new Blob(["x"]) }]);
    expect(references.images).toHaveLength(0);
    expect(references.notice).toBe("notImage");
  });

  it("adds the same file only once, and says so", () => {
    const references = inTestApp(() => useReferencesStore());
    references.add([png("cat.png"), png("dog.png")]);
    references.add([png("cat.png")]);
    expect(references.images.map((image) => image.name)).toEqual(["cat.png", "dog.png"]);
    expect(references.notice).toBe("duplicate");
  });

  it("sends the images' own Blobs and names the mask after the first image", () => {
    const references = inTestApp(() => useReferencesStore());
    references.add([png("cat.png"), png("dog.png")]);
    references.setMask(png("x").blob);
    const mask = references.mask!;
    const files = references.toRequestFiles();
    expect(files.images.map((file) => file.fileName)).toEqual(["cat.png", "dog.png"]);
    expect(files.images[0]!.blob).toBe(references.images[0]!.blob);
    expect(files.mask).toEqual({ fileName: "cat-mask.png", contentType: "image/png", blob: mask });
  });

  it("drops the mask with the first image it was painted on", () => {
    const references = inTestApp(() => useReferencesStore());
    references.add([png("a.png"), png("b.png")]);
    references.setMask(new Blob());
    references.remove(references.images[1]!.id);
    expect(references.mask).toBeDefined();
    references.remove(references.images[0]!.id);
    expect(references.mask).toBeUndefined();
  });

  it("uses a gallery image (data URL) as a reference", async () => {
    const references = inTestApp(() => useReferencesStore());
    await references.addFromSource({ src: `data:image/png;base64,${PNG}` }, "result.png");
    expect(references.images.map((image) => [image.name, image.type])).toEqual([["result.png", "image/png"]]);
    await references.addFromSource({ src: "https://cdn.example/x.png" }, "x.png", async () => Promise.reject(new Error("CORS")));
    expect(references.notice).toBe("unreadable");
  });

  it("uses a restored history image by its Blob, never fetching its blob: address", async () => {
    const references = inTestApp(() => useReferencesStore());
    const fetched: string[] = [];
    const refuse = async (url: string | URL | Request) => (fetched.push(String(url)), Promise.reject(new TypeError("Refused to connect: Content Security Policy")));
    await references.addFromSource({ src: "blob:http://panel/1", blob: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) }, "restored.png", refuse);
    expect(fetched).toEqual([]);
    expect(references.notice).toBeUndefined();
    expect(references.images.map((image) => [image.name, image.type])).toEqual([["restored.png", "image/png"]]);
  });
});

describe("reference images across a reload", () => {
  /** A fresh panel session on the same saved draft: a new Pinia, the same backend. */
  const session = (backend: ReferenceDraftBackend) => {
    const references = inTestApp(() => useReferencesStore(), testEnvironment({ referenceDraft: () => backend }));
    return { references, end: () => references.$dispose() };
  };

  it("brings back the images and the mask of the last session, in order", async () => {
    const backend = memoryReferenceDraft();
    const first = session(backend);
    await Promise.resolve();
    first.references.add([png("cat.png"), png("dog.png")]);
    first.references.setMask(png("mask").blob);
    await vi.waitFor(() => expect(backend.saved?.mask).toBeDefined());
    first.end();

    const second = session(backend);
    await vi.waitFor(() => expect(second.references.images.map((image) => image.name)).toEqual(["cat.png", "dog.png"]));
    expect(second.references.mask).toBe(backend.saved!.mask);
    expect((await second.references.toRequestFiles()).mask?.fileName).toBe("cat-mask.png");
  });

  it("puts images added while the saved ones load after them, and keeps the 16 limit", async () => {
    const backend = memoryReferenceDraft({ images: Array.from({ length: 15 }, (_, index) => png(`saved${index}.png`)) });
    const { references } = session(backend);
    references.add([png("new1.png"), png("new2.png")]);
    await vi.waitFor(() => expect(references.images).toHaveLength(16));
    expect(references.images[0]!.name).toBe("saved0.png");
    expect(references.images[15]!.name).toBe("new1.png");
    expect(references.notice).toBe("tooMany");
  });

  it("never overwrites the saved draft before it was read", async () => {
    let finishLoad: (saved: undefined) => void = () => undefined;
    const save = vi.fn(async (_saved: SavedReferences) => undefined);
    const { references } = session({ load: () => new Promise((resolve) => (finishLoad = resolve)), save, close: () => undefined });
    references.add([png("early.png")]);
    await Promise.resolve();
    expect(save).not.toHaveBeenCalled();
    finishLoad(undefined);
    references.add([png("later.png")]);
    await vi.waitFor(() => expect(save).toHaveBeenCalled());
    expect(save.mock.lastCall![0].images.map((image) => image.name)).toEqual(["early.png", "later.png"]);
  });

  it("says the images could not be saved, and keeps them for the session", async () => {
    const { references } = session({ load: async () => undefined, save: () => Promise.reject(new DOMException("full", "QuotaExceededError")), close: () => undefined });
    await Promise.resolve();
    references.add([png("big.png")]);
    await vi.waitFor(() => expect(references.notice).toBe("notSaved"));
    expect(references.images.map((image) => image.name)).toEqual(["big.png"]);
  });

  it("keeps what is still usable from a stored draft, and the mask only with its image", () => {
    const image = png("a.png");
    const mask = new Blob(["m"], { type: "image/png" });
    expect(readSavedReferences({ images: [image, { name: "b.png", type: "image/png", blob: "not a blob" }], mask })).toEqual({ images: [image], mask });
    expect(readSavedReferences({ images: [{ name: 1 }, image], mask })).toEqual({ images: [image] });
    expect(readSavedReferences({ images: "nope" })).toBeUndefined();
    expect(readSavedReferences(null)).toBeUndefined();
  });
});
