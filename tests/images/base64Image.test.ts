import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { base64ToImageBlob, imageType, testing } from "../../src/images/base64Image.ts";

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe("an answer's base64 image as bytes", () => {
  it("gives the same bytes with the engine's decoder and without it, for any length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200_000 }), (bytes) => {
        const text = toBase64(bytes);
        expect(Buffer.from(testing.fromBase64BySlices(text))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 40 },
    );
  });

  it("makes a Blob of the format's type, and nothing of text that is not base64", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    for (const decoder of [undefined, testing.fromBase64BySlices]) {
      const blob = base64ToImageBlob(toBase64(png), "image/png", decoder);
      expect(blob?.type).toBe("image/png");
      expect(new Uint8Array(await blob!.arrayBuffer())).toEqual(png);
      expect(base64ToImageBlob("not base64!", "image/png", decoder)).toBeUndefined();
      expect(base64ToImageBlob("", "image/png", decoder)).toBeUndefined();
    }
  });

  it("names the formats the panel shows and no other", () => {
    expect([imageType("png"), imageType("jpeg"), imageType("jpg"), imageType("webp"), imageType()]).toEqual(["image/png", "image/jpeg", "image/jpeg", "image/webp", "image/png"]);
    expect(imageType("svg+xml")).toBeUndefined();
  });
});
