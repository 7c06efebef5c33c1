import { describe, expect, it } from "vitest";
import { addUp, costOf, estimateOf, parsePrices } from "../../machines/rules/pricing.ts";
import { KNOWN_MODELS, knownModel, modelOptionsFor, presetsFor } from "../../machines/rules/models.ts";

const usage = { input_tokens: 50, output_tokens: 4160, total_tokens: 4210, input_tokens_details: { text_tokens: 40, image_tokens: 10 } };

describe("pricing", () => {
  it("prices gpt-image-1 usage per token kind: text in, image in, image out", () => {
    expect(costOf({ model: "gpt-image-1", size: "1024x1024", images: 1, usage })).toBeCloseTo((40 * 5 + 10 * 10 + 4160 * 40) / 1e6, 10);
  });

  it("counts input without details as text, and a dated snapshot like its model", () => {
    expect(costOf({ model: "gpt-image-2-2026-04-21", size: "auto", images: 1, usage: { input_tokens: 100, output_tokens: 1000 } })).toBeCloseTo((100 * 5 + 1000 * 30) / 1e6, 10);
  });

  it("prices dall-e per image by quality and size, and knows no price for an unknown model or missing usage", () => {
    expect(costOf({ model: "dall-e-3", size: "1792x1024", quality: "hd", images: 2 })).toBeCloseTo(0.24, 10);
    expect(costOf({ model: "dall-e-3", size: "1024x1024", images: 1 })).toBeCloseTo(0.04, 10);
    expect(costOf({ model: "dall-e-2", size: "512x512", images: 3 })).toBeCloseTo(0.054, 10);
    expect(costOf({ model: "some-model", size: "1024x1024", images: 1, usage })).toBeUndefined();
    expect(costOf({ model: "gpt-image-1", size: "1024x1024", images: 1 })).toBeUndefined();
  });

  it("estimates gpt-image-1 from OpenAI's published output tokens, adding 100 per streamed partial", () => {
    expect(estimateOf({ model: "gpt-image-1", size: "1024x1024", quality: "high", images: 2 })).toBeCloseTo((2 * 4160 * 40) / 1e6, 10);
    expect(estimateOf({ model: "gpt-image-1", size: "1536x1024", quality: "low", images: 1, partials: 2 })).toBeCloseTo(((400 + 200) * 40) / 1e6, 10);
  });

  it("estimates every priced model before sending: quality left to the model at its dearest, sizes by area", () => {
    // The default model and quality (gpt-image-2, left to the model) said "No estimate" before.
    expect(estimateOf({ model: "gpt-image-2", size: "1024x1024", images: 1 })).toBeCloseTo((8333 * 30) / 1e6, 10);
    expect(estimateOf({ model: "gpt-image-2", size: "2048x1152", quality: "low", images: 2 })).toBeCloseTo((2 * Math.round((233 * 2048 * 1152) / 1024 ** 2) * 30) / 1e6, 10);
    expect(estimateOf({ model: "gpt-image-1", size: "1024x1024", images: 1 })).toBeCloseTo((4160 * 40) / 1e6, 10);
    expect(estimateOf({ model: "gpt-image-1", size: "auto", quality: "medium", images: 1 })).toBeCloseTo((1056 * 40) / 1e6, 10);
    expect(estimateOf({ model: "gpt-image-1-mini", size: "1024x1024", quality: "high", images: 1 })).toBeCloseTo((4160 * 8) / 1e6, 10);
    expect(estimateOf({ model: "dall-e-3", size: "1024x1792", images: 3 })).toBeCloseTo(0.24, 10);
    for (const model of KNOWN_MODELS.filter((name) => knownModel(name)?.price)) {
      const { qualities } = modelOptionsFor(model);
      for (const size of presetsFor(model)) for (const quality of [undefined, ...qualities]) expect(estimateOf({ model, size, quality, images: 1 }), `${model} ${size} ${quality}`).toBeGreaterThan(0);
    }
  });

  it("says no estimate for a model without a price or a size it cannot read", () => {
    expect(estimateOf({ model: "gpt-image-1.5", size: "1024x1024", quality: "high", images: 1 })).toBeUndefined();
    expect(estimateOf({ model: "gpt-image-2", size: "wide", quality: "high", images: 1 })).toBeUndefined();
  });

  it("reads price lines, names the first bad line, and lets them replace the defaults on the custom endpoint only", () => {
    const parsed = parsePrices("gpt-image-1 1 2 3\n\n  my-model 0.5  ");
    expect(parsed).toEqual({ ok: true, prices: { "gpt-image-1": [1, 2, 3], "my-model": { "*": 0.5 } } });
    expect(parsePrices("a 1\nb 1 2\nc 1 2 3")).toEqual({ ok: false, line: 2 });
    expect(parsePrices("a -1")).toEqual({ ok: false, line: 1 });
    expect(parsePrices("a x")).toEqual({ ok: false, line: 1 });
    expect(parsePrices("")).toEqual({ ok: true, prices: {} });
    const prices = parsed.ok ? parsed.prices : {};
    expect(costOf({ model: "gpt-image-1", size: "1024x1024", images: 1, usage, custom: true }, prices)).toBeCloseTo((40 * 1 + 10 * 2 + 4160 * 3) / 1e6, 10);
    expect(estimateOf({ model: "my-model", size: "1024x1024", images: 4, custom: true }, prices)).toBeCloseTo(2, 10);
    // The managed gateway bills its own way: the list prices stand.
    expect(costOf({ model: "gpt-image-1", size: "1024x1024", images: 1, usage }, prices)).toBeCloseTo((40 * 5 + 10 * 10 + 4160 * 40) / 1e6, 10);
    expect(estimateOf({ model: "my-model", size: "1024x1024", images: 4 }, prices)).toBeUndefined();
  });

  it("adds up tokens and the cost of the priced requests", () => {
    const total = addUp([
      { model: "gpt-image-1", size: "1024x1024", images: 1, usage },
      { model: "gpt-image-2", size: "1024x1024", images: 1, usage: { input_tokens: 10, output_tokens: 90 } },
      { model: "dall-e-2", size: "256x256", images: 2 },
      { model: "unknown", size: "1024x1024", images: 1 },
    ]);
    expect(total.tokens).toBe(4210 + 100);
    expect(total.count).toBe(3);
    expect(total.cost).toBeCloseTo((40 * 5 + 10 * 10 + 4160 * 40) / 1e6 + (10 * 5 + 90 * 30) / 1e6 + 0.032, 10);
  });
});
