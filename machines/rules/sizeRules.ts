// Image size rules of the OpenAI image API (gpt-image models): `auto`, a model preset, or WxH.
import { ruleText, type RuleBreak } from "./inputRules.ts";

export const SIZE_RULES = {
  edgeMultiple: 16,
  maxEdge: 3840,
  maxRatio: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
} as const;

/** Presets each model family accepts as named sizes. */
export const MODEL_PRESETS: Record<string, readonly string[]> = {
  "gpt-image-1": ["1024x1024", "1536x1024", "1024x1536"],
  "gpt-image-1-mini": ["1024x1024", "1536x1024", "1024x1536"],
  "gpt-image-2": ["1024x1024", "1536x1024", "1024x1536", "2048x2048", "2048x1152", "1152x2048", "3840x2160", "2160x3840"],
  "dall-e-3": ["1024x1024", "1792x1024", "1024x1792"],
  "dall-e-2": ["256x256", "512x512", "1024x1024"],
};

export const DEFAULT_PRESETS = MODEL_PRESETS["gpt-image-1"]!;

export function presetsFor(model: string): readonly string[] {
  return MODEL_PRESETS[model] ?? DEFAULT_PRESETS;
}

/** Models whose custom sizes follow SIZE_RULES; others only take their presets. */
export function allowsCustomSize(model: string): boolean {
  return !model.startsWith("dall-e");
}

/** The size rule `size` breaks for `model`, or undefined when it is allowed. */
export function sizeRuleBreak(size: string, model: string): RuleBreak | undefined {
  if (size === "auto" || presetsFor(model).includes(size)) return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) return { rule: "sizeFormat" };
  if (!allowsCustomSize(model)) return { rule: "sizePresetsOnly", params: { model, presets: presetsFor(model).join(", ") } };
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
