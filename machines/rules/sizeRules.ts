// Image size rules of the OpenAI image API (gpt-image models): `auto`, a model preset, or WxH.
import { ruleText, type RuleBreak } from "./inputRules.ts";
import { modelFamily } from "./modelOptions.ts";

export const SIZE_RULES = {
  edgeMultiple: 16,
  maxEdge: 3840,
  maxRatio: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
} as const;

const GPT_IMAGE_PRESETS = ["1024x1024", "1536x1024", "1024x1536"];

/** Presets each known model accepts as named sizes. */
export const MODEL_PRESETS: Record<string, readonly string[]> = {
  "gpt-image-2": [...GPT_IMAGE_PRESETS, "2048x2048", "2048x1152", "1152x2048", "3840x2160", "2160x3840"],
  "gpt-image-1.5": GPT_IMAGE_PRESETS,
  "gpt-image-1": GPT_IMAGE_PRESETS,
  "gpt-image-1-mini": GPT_IMAGE_PRESETS,
  "chatgpt-image-latest": GPT_IMAGE_PRESETS,
  "dall-e-3": ["1024x1024", "1792x1024", "1024x1792"],
  "dall-e-2": ["256x256", "512x512", "1024x1024"],
};

export function presetsFor(model: string): readonly string[] {
  return MODEL_PRESETS[modelFamily(model)] ?? GPT_IMAGE_PRESETS;
}

/** Known models whose custom sizes follow SIZE_RULES; the other known models only take their presets. */
const CUSTOM_SIZES = new Set(["gpt-image-2"]);

/** The size rule `size` breaks for `model`, or undefined when it is allowed. */
export function sizeRuleBreak(size: string, model: string): RuleBreak | undefined {
  if (size === "auto" || presetsFor(model).includes(size)) return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) return { rule: "sizeFormat" };
  const family = modelFamily(model);
  // A model we do not know takes any WxH its provider accepts.
  if (!Object.hasOwn(MODEL_PRESETS, family)) return undefined;
  if (!CUSTOM_SIZES.has(family)) return { rule: "sizePresetsOnly", params: { model, presets: presetsFor(model).join(", ") } };
  const width = Number(match[1]);
  const height = Number(match[2]);
  const { edgeMultiple, maxEdge, maxRatio, minPixels, maxPixels } = SIZE_RULES;
  if (width % edgeMultiple !== 0 || height % edgeMultiple !== 0) return { rule: "sizeEdgeMultiple", params: { multiple: edgeMultiple } };
  if (Math.max(width, height) > maxEdge) return { rule: "sizeMaxEdge", params: { max: maxEdge } };
  if (Math.max(width, height) / Math.min(width, height) > maxRatio) return { rule: "sizeRatio", params: { ratio: maxRatio } };
  const pixels = width * height;
  if (pixels < minPixels || pixels > maxPixels) {
    return { rule: "sizePixels", params: { min: minPixels.toLocaleString("en"), max: maxPixels.toLocaleString("en") } };
  }
  return undefined;
}

/** Why `size` is not allowed for `model`, naming the rule in English, or undefined when it is allowed. */
export function sizeProblem(size: string, model: string): string | undefined {
  const broken = sizeRuleBreak(size, model);
  return broken && ruleText(broken);
}
