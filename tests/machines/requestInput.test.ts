import { describe, expect, it } from "vitest";
import { validateRequestInput } from "../../machines/rules/requestInput.schema.ts";
import fc from "fast-check";
import { presetsFor } from "../../machines/rules/models.ts";
import { sizeProblem } from "../../machines/rules/sizeRules.ts";

const generate = (overrides: Record<string, unknown> = {}) => ({
  operation: "generate",
  prompt: "a lighthouse",
  model: "gpt-image-1",
  size: "1024x1024",
  n: 1,
  ...overrides,
});
const png = { fileName: "ref.png", contentType: "image/png", blob: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" }) };

const problemsOf = (input: unknown) => {
  const result = validateRequestInput(input);
  return result.ok ? [] : result.problems.map((problem) => `${problem.field}: ${problem.message}`);
};

describe("size rules", () => {
  it.each([
    ["auto", "gpt-image-1", undefined],
    ["1536x1024", "gpt-image-1", undefined],
    ["2048x1152", "gpt-image-2", undefined],
    ["1000x1000", "gpt-image-2", "both edges must be multiples of 16"],
    ["1536x864", "gpt-image-1", "gpt-image-1 only takes 1024x1024, 1536x1024, 1024x1536"],
    ["1536x864", "gpt-image-1.5", "gpt-image-1.5 only takes 1024x1024, 1536x1024, 1024x1536"],
    ["2048x1152", "gpt-image-2-2026-04-21", undefined],
    ["1536x864", "gpt-image-2-2026-04-21", undefined],
    ["1000x1000", "acme-diffusion", undefined],
    ["big", "acme-diffusion", 'must be "auto", a preset such as 1024x1024, or WIDTHxHEIGHT'],
    ["4096x1024", "gpt-image-2", "the longest edge must be at most 3840 px"],
    ["3840x1024", "gpt-image-2", "the aspect ratio must be at most 3:1"],
    ["512x512", "gpt-image-2", "the total pixels must be between 655,360 and 8,294,400"],
    ["3840x2176", "gpt-image-2", "the total pixels must be between 655,360 and 8,294,400"],
    ["big", "gpt-image-1", 'must be "auto", a preset such as 1024x1024, or WIDTHxHEIGHT'],
    ["1536x1536", "dall-e-3", "dall-e-3 only takes 1024x1024, 1792x1024, 1024x1792"],
  ])("%s on %s → %s", (size, model, problem) => {
    expect(sizeProblem(size, model)).toBe(problem);
  });

  it("accepts a custom WxH exactly when every provider rule holds (property)", () => {
    // Mostly multiples of 16, so the other rules are reached too.
    const edge = fc.oneof(fc.integer({ min: 1, max: 262 }).map((units) => units * 16), fc.integer({ min: 1, max: 4_200 }));
    fc.assert(
      fc.property(edge, edge, (width, height) => {
        const size = `${width}x${height}`;
        fc.pre(!presetsFor("gpt-image-2").includes(size));
        const long = Math.max(width, height);
        const short = Math.min(width, height);
        const pixels = width * height;
        const allowed = width % 16 === 0 && height % 16 === 0 && long <= 3_840 && long <= 3 * short && pixels >= 655_360 && pixels <= 8_294_400;
        expect(sizeProblem(size, "gpt-image-2") === undefined).toBe(allowed);
      }),
      { numRuns: 2_000 },
    );
  });

  it("accepts the extremes of every rule", () => {
    expect(sizeProblem("1024x640", "gpt-image-2")).toBeUndefined(); // exactly 655,360 pixels
    expect(sizeProblem("3840x2160", "gpt-image-2")).toBeUndefined(); // exactly 8,294,400 pixels
    expect(sizeProblem("2304x768", "gpt-image-2")).toBeUndefined(); // exactly 3:1
  });
});

describe("request input validation", () => {
  it("accepts a valid generation and a valid edit", () => {
    expect(problemsOf(generate())).toEqual([]);
    expect(problemsOf({ ...generate({ operation: "edit" }), images: [png, png], mask: png })).toEqual([]);
  });

  it("names the field and the rule of every problem", () => {
    expect(problemsOf(generate({ model: "gpt-image-2", prompt: "   ", n: 11, size: "1000x1000" }))).toEqual([
      "prompt: must not be empty",
      "n: must be a whole number from 1 to 10",
      "size: both edges must be multiples of 16",
    ]);
    expect(problemsOf(generate({ prompt: "x".repeat(32_001) }))).toEqual(["prompt: must be at most 32,000 characters"]);
    expect(problemsOf(generate({ n: 1.5 }))).toEqual(["n: must be a whole number from 1 to 10"]);
    // An emptied count field (NaN, or null once saved as JSON) breaks the same rule, not "Invalid input".
    expect(problemsOf(generate({ n: Number.NaN }))).toEqual(["n: must be a whole number from 1 to 10"]);
    expect(problemsOf(generate({ n: null }))).toEqual(["n: must be a whole number from 1 to 10"]);
  });

  it("holds a known model to its own quality, format and count, and leaves unknown models to their provider", () => {
    expect(problemsOf(generate({ model: "dall-e-3", quality: "high", outputFormat: "webp", n: 2 }))).toEqual([
      "quality: dall-e-3 takes quality standard, hd",
      "outputFormat: dall-e-3 always returns PNG; leave the format unset",
      "n: dall-e-3 makes at most 1 image per request",
    ]);
    expect(problemsOf(generate({ model: "gpt-image-1", quality: "hd" }))).toEqual(["quality: gpt-image-1 takes quality auto, low, medium, high"]);
    expect(problemsOf(generate({ model: "gpt-image-2-2026-04-21", quality: "high", outputFormat: "webp", n: 10 }))).toEqual([]);
    expect(problemsOf(generate({ model: "dall-e-2", quality: "standard", n: 10 }))).toEqual([]);
    expect(problemsOf(generate({ model: "acme-diffusion", quality: "hd", outputFormat: "jpeg" }))).toEqual([]);
    // A model reported after this table was written (a new quality) is left to its provider.
    expect(problemsOf(generate({ model: "gpt-image-2.5-flare", quality: "xhigh", background: "transparent" }))).toEqual([]);
  });

  it.each([
    ["gpt-image-2", { background: "transparent" }, ["background: gpt-image-2 takes background auto, opaque"]],
    ["gpt-image-2", { background: "opaque", quality: "high", n: 10 }, []],
    ["gpt-image-1.5", { background: "transparent", outputFormat: "webp" }, []],
    ["gpt-image-1-mini", { background: "transparent", quality: "low" }, []],
    ["dall-e-3", { background: "opaque" }, ["background: dall-e-3 does not take this option; leave it unset"]],
    ["dall-e-2", { quality: "hd", n: 11 }, ["n: must be a whole number from 1 to 10", "quality: dall-e-2 takes quality standard"]],
  ])("%s with %o → %o", (model, options, problems) => {
    expect(problemsOf(generate({ model, ...options })).sort()).toEqual([...problems].sort());
  });

  it("takes input fidelity on edits of the models that have it, not on gpt-image-1-mini or DALL·E", () => {
    const edit = (model: string) => ({ ...generate({ operation: "edit", model }), images: [png], inputFidelity: "high" });
    for (const model of ["gpt-image-2", "gpt-image-1.5", "gpt-image-1", "acme-diffusion"]) expect(problemsOf(edit(model))).toEqual([]);
    expect(problemsOf(edit("gpt-image-1-mini"))).toEqual(["inputFidelity: gpt-image-1-mini does not take this option; leave it unset"]);
    expect(problemsOf(edit("dall-e-2"))).toEqual(["inputFidelity: dall-e-2 does not take this option; leave it unset"]);
    expect(problemsOf({ ...edit("gpt-image-1"), inputFidelity: "max" })[0]).toMatch(/^inputFidelity: /);
  });

  it("requires 1 to 16 reference images and a PNG mask for edits", () => {
    const edit = (images: unknown[], mask?: unknown) => ({ ...generate({ operation: "edit" }), images, ...(mask ? { mask } : {}) });
    expect(problemsOf(edit([]))).toEqual(["images: an edit needs at least one reference image"]);
    expect(problemsOf(edit(Array.from({ length: 17 }, () => png)))).toEqual(["images: an edit takes at most 16 reference images"]);
    expect(problemsOf(edit([png], { ...png, contentType: "image/jpeg" }))).toEqual(["mask: the mask must be a PNG image"]);
    // An image is its bytes (a Blob): text in its place is refused.
    expect(problemsOf(edit([{ fileName: "ref.png", contentType: "image/png", base64: "iVBORw0KGgo" }]))).toEqual([expect.stringMatching(/^images\.0\.blob: /)]);
  });
});
