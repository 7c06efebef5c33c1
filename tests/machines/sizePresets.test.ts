import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ASPECT_RATIOS, EXPERIMENTAL_PIXELS, modelSizeTerms, pick, providerSizeTerms, ratiosOf, RESOLUTIONS, sizeRuleBreak, groupThousands } from "../../machines/index.ts";

describe("size presets from the model table", () => {
  it("offers gpt-image-2 every ratio at 1K, 2K and 4K within its rules, its named sizes first, above 2560x1440 experimental", () => {
    const terms = modelSizeTerms("gpt-image-2");
    expect(ratiosOf(terms)).toEqual([...ASPECT_RATIOS]);
    expect(terms.choices).toHaveLength(ASPECT_RATIOS.length * RESOLUTIONS.length);
    for (const choice of terms.choices) {
      const { width, height } = choice.pixels!;
      expect(sizeRuleBreak(choice.value, "gpt-image-2"), choice.value).toBeUndefined();
      expect(width % 16 + (height % 16)).toBe(0);
      expect(Math.max(width, height)).toBeLessThanOrEqual(3840);
      expect(Math.max(width, height) / Math.min(width, height)).toBeLessThanOrEqual(3);
      expect(choice.experimental).toBe(width * height > EXPERIMENTAL_PIXELS);
    }
    expect(pick(terms, "3:2", "1K")).toMatchObject({ value: "1536x1024", experimental: false });
    expect(pick(terms, "16:9", "4K")).toMatchObject({ value: "3840x2160", experimental: true });
    expect(pick(terms, "1:1", "2K")).toMatchObject({ value: "2048x2048", experimental: true });
    expect(pick(terms, "21:9", "4K")?.pixels?.width).toBe(3840);
    expect(terms.customSizes).toBe(true);
  });

  it("offers fixed-size models only their list, each under its ratio, and no typed size", () => {
    expect(modelSizeTerms("dall-e-3").choices.map(({ ratio, resolution, value }) => `${ratio} ${resolution} ${value}`)).toEqual(["1:1 1K 1024x1024", "16:9 1K 1792x1024", "9:16 1K 1024x1792"]);
    expect(modelSizeTerms("dall-e-2").choices.map((choice) => choice.resolution)).toEqual(["256", "512", "1K"]);
    expect(modelSizeTerms("gpt-image-1")).toMatchObject({ customSizes: false });
    expect(ratiosOf(modelSizeTerms("gpt-image-1"))).toEqual(["1:1", "3:2", "2:3"]);
    // A model left to its provider: the gpt-image sizes, and any typed WxH.
    expect(modelSizeTerms("my-model")).toMatchObject({ customSizes: true });
  });

  it("keeps the chosen resolution when the ratio changes where the new ratio has it", () => {
    const terms = modelSizeTerms("gpt-image-2");
    expect(pick(terms, "9:16", "2K")?.value).toBe("1152x2048");
    expect(pick(modelSizeTerms("dall-e-3"), "16:9", "4K")?.value).toBe("1792x1024");
    expect(pick(terms, "5:4")).toBeUndefined();
  });

  it("takes a provider's own size words (aspect_ratio, 2K) as its terms", () => {
    const seedream = providerSizeTerms(["1:1", "16:9"], ["2K", "4K"], (ratio, resolution) => (ratio === "1:1" ? resolution : undefined));
    expect(seedream.choices.map((choice) => choice.value)).toEqual(["2K", "4K"]);
    expect(seedream.customSizes).toBe(false);
    const xai = providerSizeTerms(["1:1", "16:9"], ["1k", "2k"], (ratio, resolution) => `${ratio}@${resolution}`);
    expect(pick(xai, "16:9", "2k")?.value).toBe("16:9@2k");
  });

  it("never offers gpt-image-2 a size its rules refuse, whatever the ratio (property)", () => {
    const terms = modelSizeTerms("gpt-image-2");
    fc.assert(fc.property(fc.constantFrom(...terms.choices), (choice) => sizeRuleBreak(choice.value, "gpt-image-2") === undefined));
  });
});

describe("numbers in rule messages", () => {
  it("group thousands exactly as toLocaleString(\"en\") does, without touching Intl at first paint", () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (value) => groupThousands(value) === value.toLocaleString("en")), { verbose: true });
    expect(sizeRuleBreak("16x16", "gpt-image-2")).toEqual({ rule: "sizePixels", params: { min: "655,360", max: "8,294,400" } });
  });
});
