import { describe, expect, it } from "vitest";
import { imageTypeOf, selectRecordActual, selectRequestedActual } from "../../machines/index.ts";

describe("requested beside actual", () => {
  it("marks the size read from the image where it differs, and the format from the image's type", () => {
    const rows = selectRequestedActual({ size: "1536x1024", outputFormat: "webp", quality: "high" }, { width: 1024, height: 1024, type: "image/png", echo: { quality: "high" } });
    expect(rows).toEqual([
      { field: "size", requested: "1536x1024", actual: "1024x1024", differs: true },
      { field: "format", requested: "webp", actual: "png", differs: true },
      { field: "quality", requested: "high", actual: "high", differs: false },
    ]);
  });

  it("never calls auto or an option left to the model a difference, and shows a seed where there is one", () => {
    expect(selectRequestedActual({ size: "auto" }, { width: 1024, height: 1536, type: "image/jpeg", echo: { seed: 42 } })).toEqual([
      { field: "size", requested: "auto", actual: "1024x1536", differs: false },
      { field: "format", actual: "jpeg", differs: false },
      { field: "seed", actual: "42", differs: false },
    ]);
    // Before the image loaded, the answer's echo is what is known.
    expect(selectRequestedActual({ size: "1024x1024" }, { echo: { size: "1024x1024" } })).toEqual([{ field: "size", requested: "1024x1024", actual: "1024x1024", differs: false }]);
    expect(selectRequestedActual({}, {})).toEqual([]);
  });

  it("marks a background or quality the answer says differs from the one asked for", () => {
    const rows = selectRequestedActual({ quality: "high", background: "transparent" }, { echo: { quality: "medium", background: "opaque" } });
    expect(rows).toEqual([
      { field: "quality", requested: "high", actual: "medium", differs: true },
      { field: "background", requested: "transparent", actual: "opaque", differs: true },
    ]);
  });

  it("reads a history record's stored echo and image type, and says nothing of a damaged echo", () => {
    const images = [new Blob(["x"], { type: "image/webp" })];
    const record = { size: "1024x1024", quality: "high", outputFormat: "png", images, echo: { size: "1024x1024", quality: "low", seed: 7 } };
    expect(selectRecordActual(record)).toEqual([
      { field: "size", requested: "1024x1024", actual: "1024x1024", differs: false },
      { field: "format", requested: "png", actual: "webp", differs: true },
      { field: "quality", requested: "high", actual: "low", differs: true },
      { field: "seed", actual: "7", differs: false },
    ]);
    // Older records have no echo; a damaged one is read as none. Rows without an actual value are left out.
    expect(selectRecordActual({ ...record, images: [], echo: undefined })).toEqual([]);
    expect(selectRecordActual({ ...record, images: [], echo: { quality: { evil: true }, seed: "7" } })).toEqual([]);
  });

  it("compares a provider's own size words with nothing, and a seed asked for with the one returned", () => {
    // xAI's ratio and resolution, Seedream's tier: the pixels that came back are no difference.
    for (const size of ["16:9 2k", "2K"]) expect(selectRequestedActual({ size }, { width: 2048, height: 1152 })).toEqual([{ field: "size", requested: size, actual: "2048x1152", differs: false }]);
    expect(selectRequestedActual({ seed: 42 }, { echo: { seed: 42 } })).toEqual([{ field: "seed", requested: "42", actual: "42", differs: false }]);
    expect(selectRequestedActual({ seed: 42 }, { echo: { seed: 7 } })).toEqual([{ field: "seed", requested: "42", actual: "7", differs: true }]);
    // A seed asked for that the answer does not echo says nothing: nothing is known of what came back.
    expect(selectRequestedActual({ seed: 42 }, {})).toEqual([]);
  });

  it("reads an image's type from its Blob or its data URL", () => {
    expect(imageTypeOf("data:image/webp;base64,AA")).toBe("image/webp");
    expect(imageTypeOf("blob:x", "image/jpeg")).toBe("image/jpeg");
    expect(imageTypeOf("https://cdn.example/a.png")).toBeUndefined();
  });
});
