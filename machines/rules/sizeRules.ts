// Image size rules of the OpenAI image API (gpt-image models): `auto`, a model preset, or WxH.
// Which presets a model takes, and whether it takes other sizes, is in the model table (models.ts).
import { ruleText, type RuleBreak } from "./inputRules.ts";
import { knownModel, presetsFor } from "./models.ts";
import { isRatioSize } from "./ratioSizes.ts";

export const SIZE_RULES = {
  edgeMultiple: 16,
  maxEdge: 3840,
  maxRatio: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
} as const;

/** The size rule `size` breaks for `model`, or undefined when it is allowed. */
/**
 * 1048576 → "1,048,576", as `toLocaleString("en")` writes it. Not `Intl`: the size picker checks
 * sizes during the first paint, and a renderer's first `Intl` use loads locale data (13–43 ms).
 */
export const groupThousands = (value: number) => String(Math.trunc(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export function sizeRuleBreak(size: string, model: string): RuleBreak | undefined {
  if (size === "auto" || presetsFor(model).includes(size)) return undefined;
  const known = knownModel(model);
  // A model we do not know may take a resolution tier by name ("2K", Seedream's sizes).
  if (!known && /^[1-8]K$/.test(size)) return undefined;
  // …or an aspect ratio and resolution of its own ("16:9 2k", xAI's and OpenRouter's terms).
  if (!known && isRatioSize(size)) return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) return { rule: "sizeFormat" };
  // A model we do not know takes any WxH its provider accepts.
  if (!known) return undefined;
  if (!known.customSizes) return { rule: "sizePresetsOnly", params: { model, presets: presetsFor(model).join(", ") } };
  const width = Number(match[1]);
  const height = Number(match[2]);
  const { edgeMultiple, maxEdge, maxRatio, minPixels, maxPixels } = SIZE_RULES;
  if (width % edgeMultiple !== 0 || height % edgeMultiple !== 0) return { rule: "sizeEdgeMultiple", params: { multiple: edgeMultiple } };
  if (Math.max(width, height) > maxEdge) return { rule: "sizeMaxEdge", params: { max: maxEdge } };
  if (Math.max(width, height) / Math.min(width, height) > maxRatio) return { rule: "sizeRatio", params: { ratio: maxRatio } };
  const pixels = width * height;
  if (pixels < minPixels || pixels > maxPixels) {
    return { rule: "sizePixels", params: { min: groupThousands(minPixels), max: groupThousands(maxPixels) } };
  }
  return undefined;
}

/** Why `size` is not allowed for `model`, naming the rule in English, or undefined when it is allowed. */
export function sizeProblem(size: string, model: string): string | undefined {
  const broken = sizeRuleBreak(size, model);
  return broken && ruleText(broken);
}
