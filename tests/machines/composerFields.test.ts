import { describe, expect, it } from "vitest";
import { gatewayName, OPENAI_FIELDS, selectComposerFields, selectDraft, selectGatewayChoices, withoutRefusedFields, type ProviderFields } from "../../machines/index.ts";

const draft = (model = "gpt-image-1") => selectDraft({ mode: "generate", prompt: "a fox", n: 1, model }, { defaultModel: "gpt-image-1", defaultSize: "1024x1024" });
const fields = (more: Partial<ProviderFields>): ProviderFields => ({ ...OPENAI_FIELDS, ...more });

describe("the composer's fields", () => {
  it("offer what the model takes on OpenAI's own set of fields", () => {
    const view = selectComposerFields(draft());
    // The size picker offers the model's own sizes (machines/rules/sizePresets.ts); the provider adds none and allows a custom size.
    expect(view.size).toEqual({ choices: [], custom: true });
    expect(view.qualities).toEqual(["auto", "low", "medium", "high"]);
    expect(view.backgrounds).toEqual(["auto", "transparent", "opaque"]);
    expect(view.maxCount).toBe(10);
  });

  it("offer only what the provider takes too", () => {
    const xai = selectComposerFields(draft(), fields({ sizes: "none", quality: false, outputFormat: false, background: false, inputFidelity: false, edits: false, mask: false }));
    expect(xai).toMatchObject({ qualities: [], outputFormats: [], backgrounds: [], inputFidelity: false, edits: false, mask: false });
    expect(xai.size).toBeUndefined();
    const ark = selectComposerFields(draft("doubao-seedream-4-5"), fields({ sizes: "tiers", sizeChoices: ["2K", "4K"], maxCount: 1 }));
    expect(ark.size).toMatchObject({ choices: ["2K", "4K"], custom: false });
    expect(ark.size?.terms?.choices.map((choice) => choice.value)).toEqual(["2K", "4K"]);
    expect(ark.maxCount).toBe(1);
  });

  it("offer a ratio provider its own ratios and resolutions, for the models its terms name", () => {
    const ratio = fields({ sizes: "ratio", ratioTerms: { ratios: ["1:1", "16:9"], resolutions: ["1K", "2K"], models: ["google/gemini-"] } });
    const gemini = selectComposerFields(draft("google/gemini-2.5-flash-image"), ratio);
    expect(gemini.size).toMatchObject({ custom: false });
    expect(gemini.size?.terms?.choices.map((choice) => choice.value)).toEqual(["1:1 1K", "1:1 2K", "16:9 1K", "16:9 2K"]);
    expect(gemini.size?.terms?.customSizes).toBe(false);
    // Another image model on the same route takes no size at all.
    expect(selectComposerFields(draft("openai/gpt-5-image-mini"), ratio).size).toBeUndefined();
  });

  it("offer a seed and a negative prompt only where the provider takes them", () => {
    expect(selectComposerFields(draft())).toMatchObject({ seed: false, negativePrompt: false });
    expect(selectComposerFields(draft("Kwai-Kolors/Kolors"), fields({ seed: true, negativePrompt: true }))).toMatchObject({ seed: true, negativePrompt: true });
    expect(selectComposerFields(draft("doubao-seedream-4-5"), fields({ seed: true }))).toMatchObject({ seed: true, negativePrompt: false });
  });

  it("suggest the profile's listed models first, without repeats", () => {
    expect(selectComposerFields(draft(), undefined, ["imagen-4", "gpt-image-1"], ["gpt-image-1", "dall-e-3"]).modelSuggestions).toEqual(["imagen-4", "gpt-image-1", "dall-e-3"]);
  });
});

describe("a request for a profile", () => {
  it("leave out every field its provider refuses and keep the rest", () => {
    const request = { model: "m", prompt: "p", n: 1, size: "1024x1024", quality: "high", output_format: "webp", output_compression: 80, background: "opaque", mask: {} };
    const gemini = fields({ quality: false, outputFormat: false, background: false, mask: false, edits: false });
    expect(withoutRefusedFields(request, gemini)).toEqual({ model: "m", prompt: "p", n: 1, size: "1024x1024" });
    expect(withoutRefusedFields(request, fields({ sizes: "none" }))).not.toHaveProperty("size");
    expect(withoutRefusedFields(request, OPENAI_FIELDS)).toEqual(request);
  });
});

describe("the gateway bar's choices", () => {
  it("list Auto, the managed gateway, each profile by name in order, then the mock", () => {
    const views = selectGatewayChoices(["auto", "cloud", "mock"], [{ id: "a", name: "Relay" }, { id: "b", name: "Azure" }], "profile:b");
    expect(views.map((view) => ("name" in view.label ? view.label.name : view.label.key))).toEqual(["gateway.mode.auto", "gateway.mode.cloud", "Relay", "Azure", "gateway.mode.mock"]);
    expect(views.filter((view) => view.checked).map((view) => view.choice)).toEqual(["profile:b"]);
    expect(selectGatewayChoices(["auto", "cloud"], [], "auto").map((view) => view.choice)).toEqual(["auto", "cloud"]);
  });

  it("name a request's gateway by its profile, else by the gateway's label", () => {
    expect(gatewayName("custom", "Work Azure")).toEqual({ name: "Work Azure" });
    expect(gatewayName("custom")).toEqual({ key: "gateway.label.custom" });
    expect(gatewayName("cloud", "ignored")).toEqual({ key: "gateway.label.cloud" });
  });
});
