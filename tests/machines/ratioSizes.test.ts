import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { draftProblems, OPENAI_FIELDS, parseRatioSize, ratioSize, ratioSizeTerms, selectDraft, sizeRuleBreak, takesRatioSize, validateRequestInput, withProviderSizeNames, type DraftFields, type ProviderFields } from "../../machines/index.ts";
import { presetOf } from "../../src/profiles/presets.ts";

const xai = presetOf("xai").fields;
const openrouter = presetOf("openrouter").fields;
const defaults = { defaultModel: "grok-imagine-image", defaultSize: "auto" };
const draft = (more: Partial<DraftFields> = {}): DraftFields => ({ mode: "generate", prompt: "a fox", n: 1, model: "grok-imagine-image", ...more });
const ratio = fc.tuple(fc.integer({ min: 1, max: 99 }), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined })).map(([whole, tenth]) => (tenth === undefined ? String(whole) : `${whole}.${tenth}`));

describe("a ratio provider's sizes", () => {
  it("are one value the draft keeps, and come apart into the provider's two fields", () => {
    fc.assert(
      fc.property(ratio, ratio, fc.constantFrom("1k", "2k", "1K", "2K", "4K"), (w, h, resolution) => {
        expect(parseRatioSize(ratioSize(`${w}:${h}`, resolution))).toEqual({ aspectRatio: `${w}:${h}`, resolution });
      }),
    );
    for (const other of ["auto", "1024x1024", "2K", "16:9", "16:9  2k", "0:1 1k", "16:9 2kb", "16:9 9k"]) expect(parseRatioSize(other), other).toBeUndefined();
  });

  it("offer xAI every ratio at 1k and 2k, and Gemini image models theirs at 1K, 2K and 4K", () => {
    const terms = ratioSizeTerms(xai.ratioTerms!);
    // 13 ratios and "auto" (xAI picks the ratio, at the resolution chosen).
    expect(terms.choices).toHaveLength(14 * 2);
    expect(terms.choices.find((choice) => choice.ratio === "19.5:9" && choice.resolution === "2k")?.value).toBe("19.5:9 2k");
    expect(terms.choices.every((choice) => sizeRuleBreak(choice.value, "grok-imagine-image") === undefined)).toBe(true);
    expect(ratioSizeTerms(openrouter.ratioTerms!).choices.map((choice) => choice.resolution)).toContain("4K");
  });

  it("are sent as aspect_ratio and resolution, auto as neither, and anything else refused", () => {
    expect(withProviderSizeNames({ model: "m", size: "16:9 2k" }, xai)).toEqual({ request: { model: "m", aspect_ratio: "16:9", resolution: "2k" } });
    expect(withProviderSizeNames({ model: "m", size: "auto" }, xai)).toEqual({ request: { model: "m" } });
    expect(withProviderSizeNames({ model: "m", size: "auto 2k" }, xai)).toEqual({ request: { model: "m", aspect_ratio: "auto", resolution: "2k" } });
    // Gemini has no "auto" ratio in image_config.
    expect(withProviderSizeNames({ model: "google/gemini-2.5-flash-image", size: "auto 2K" }, openrouter)).toEqual({ refused: "auto 2K" });
    // A WxH size (a compare column, a re-run) goes as its exact ratio, at a resolution at least as long.
    expect(withProviderSizeNames({ model: "m", size: "1024x1024" }, xai)).toEqual({ request: { model: "m", aspect_ratio: "1:1", resolution: "1k" } });
    expect(withProviderSizeNames({ model: "m", size: "1536x1024" }, xai)).toEqual({ request: { model: "m", aspect_ratio: "3:2", resolution: "2k" } });
    expect(withProviderSizeNames({ model: "m", size: "3840x2160" }, xai)).toEqual({ request: { model: "m", aspect_ratio: "16:9", resolution: "2k" } });
    expect(withProviderSizeNames({ model: "google/gemini-2.5-flash-image", size: "3840x2160" }, openrouter)).toEqual({ request: { model: "google/gemini-2.5-flash-image", aspect_ratio: "16:9", resolution: "4K" } });
    // A shape the provider does not make is refused, not bent into another one.
    expect(withProviderSizeNames({ model: "m", size: "1792x1024" }, xai)).toEqual({ refused: "1792x1024" });
    // xAI makes no 4k, and Gemini's 4K is not xAI's spelling.
    expect(withProviderSizeNames({ model: "m", size: "16:9 4k" }, xai)).toEqual({ refused: "16:9 4k" });
    expect(withProviderSizeNames({ model: "m", size: "16:9 2K" }, xai)).toEqual({ refused: "16:9 2K" });
    // A provider of WxH sizes keeps its size as it is.
    expect(withProviderSizeNames({ model: "m", size: "1024x1024" }, OPENAI_FIELDS)).toEqual({ request: { model: "m", size: "1024x1024" } });
  });

  it("are taken only as the provider spells them", () => {
    fc.assert(
      fc.property(fc.constantFrom(...xai.ratioTerms!.ratios), fc.constantFrom(...xai.ratioTerms!.resolutions), (r, res) => {
        expect(takesRatioSize(xai.ratioTerms!, ratioSize(r, res))).toBe(true);
        expect(takesRatioSize(xai.ratioTerms!, ratioSize(r, res.toUpperCase()))).toBe(false);
      }),
    );
  });

  it("are a WxH rule break for a known model, which never takes them", () => {
    expect(sizeRuleBreak("16:9 2k", "gpt-image-2")).toEqual({ rule: "sizeFormat" });
    expect(sizeRuleBreak("16:9 2k", "grok-imagine-image")).toBeUndefined();
  });
});

describe("the composer's draft on a ratio provider", () => {
  it("marks a size the provider has no term for, and sends its own terms", () => {
    const typed = selectDraft(draft({ size: "1536x1024" }), defaults, xai);
    expect(typed.sizeProblem).toEqual({ rule: "sizeProviderTerms" });
    expect(draftProblems(typed).map((problem) => [problem.field, problem.rule])).toEqual([["size", "sizeProviderTerms"]]);
    const picked = selectDraft(draft({ size: "16:9 1k" }), defaults, xai);
    expect(picked.sizeProblem).toBeUndefined();
    expect(draftProblems(picked)).toEqual([]);
    expect(picked.request).toMatchObject({ size: "16:9 1k" });
    // Off that provider the same draft is judged by the model's rules alone.
    expect(selectDraft(draft({ size: "1536x1024" }), defaults).sizeProblem).toBeUndefined();
  });
});

describe("seed and negative prompt", () => {
  const siliconflow: ProviderFields = presetOf("siliconflow").fields;
  const kolors = (more: Partial<DraftFields>) => draft({ model: "Kwai-Kolors/Kolors", size: "1024x1024", ...more });

  it("go into the request only where the provider takes them, and stay in the draft elsewhere", () => {
    const extras = { seed: 42, negativePrompt: "blur" };
    expect(selectDraft(kolors(extras), defaults, siliconflow).request).toMatchObject(extras);
    const ark = selectDraft(kolors(extras), defaults, presetOf("volcengine-ark").fields).request;
    expect(ark).toMatchObject({ seed: 42 });
    expect(ark).not.toHaveProperty("negativePrompt");
    for (const request of [selectDraft(kolors(extras), defaults, OPENAI_FIELDS).request, selectDraft(kolors(extras), defaults).request]) {
      expect(request).not.toHaveProperty("seed");
      expect(request).not.toHaveProperty("negativePrompt");
    }
    // A blank negative prompt is none.
    expect(selectDraft(kolors({ negativePrompt: "  " }), defaults, siliconflow).request).not.toHaveProperty("negativePrompt");
  });

  it("are checked: a seed a whole number from 0 to 9,999,999,999, a negative prompt at most 2,000 characters", () => {
    const problems = (more: Partial<DraftFields>) => draftProblems(selectDraft(kolors(more), defaults, siliconflow)).map((problem) => `${problem.field}: ${problem.message}`);
    expect(problems({ seed: 0, negativePrompt: "x".repeat(2_000) })).toEqual([]);
    expect(problems({ seed: 9_999_999_999 })).toEqual([]);
    for (const seed of [-1, 1.5, 10_000_000_000, Number.NaN]) expect(problems({ seed }), String(seed)).toEqual(["seed: must be a whole number from 0 to 9,999,999,999"]);
    expect(problems({ negativePrompt: "x".repeat(2_001) })).toEqual(["negativePrompt: must be at most 2,000 characters"]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (seed) => {
        expect(validateRequestInput({ operation: "generate", prompt: "p", model: "m", size: "auto", n: 1, seed }).ok).toBe(true);
      }),
    );
  });
});
