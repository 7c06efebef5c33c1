// Every per-model fact in one table: what each known image model accepts (OpenAI's image API
// reference), the sizes it takes by name, and its default price. A custom endpoint may serve any
// model: unknown ones are offered every choice and left to their provider to judge, so a model we
// have not heard of is never refused here, and it has no price.
import type { RuleBreak } from "./inputRules.ts";

/** USD per 1M tokens: text input, image input, image output. */
export type TokenPrices = readonly number[];
/** USD per image, keyed "<quality> <size>", "<size>" or "*". */
export type ImagePrices = Readonly<Record<string, number>>;

export interface ModelOptions {
  /** Quality values the model takes; leaving quality out means the model's own default. */
  qualities: readonly string[];
  /** Output formats the model can return; empty = PNG only, and the field must not be sent. */
  outputFormats: readonly string[];
  /** Background values the model takes; empty = no background option, and the field must not be sent. */
  backgrounds: readonly string[];
  /** Whether edits take `input_fidelity` (high | low). */
  inputFidelity: boolean;
  /** Images per request. */
  maxCount: number;
}

export interface ModelFacts extends ModelOptions {
  /** Sizes the model takes by name. */
  presets: readonly string[];
  /** Whether it also takes other WIDTHxHEIGHT sizes within SIZE_RULES (sizeRules.ts). */
  customSizes: boolean;
  /** The default price (USD); absent = no estimate. */
  price?: TokenPrices | ImagePrices;
  /** Image output tokens per quality and size, where OpenAI publishes them; estimates before sending need them. */
  outputTokens?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Image output tokens of one 1024x1024 image per quality: other sizes scale by their area (what
   * the published table does within 1%). Estimates before sending for sizes the table lacks. */
  outputTokensSquare?: Readonly<Record<string, number>>;
}

export const INPUT_FIDELITIES = ["high", "low"] as const;
const GPT_QUALITIES = ["auto", "low", "medium", "high"];
const GPT_FORMATS = ["png", "jpeg", "webp"];
const ALL_BACKGROUNDS = ["auto", "transparent", "opaque"];
const GPT_IMAGE_PRESETS = ["1024x1024", "1536x1024", "1024x1536"];
// OpenAI's image generation guide (gpt-image-1 at 1024x1024).
const GPT_IMAGE_1_SQUARE = { low: 272, medium: 1056, high: 4160 };
const gptImage = (backgrounds: readonly string[], inputFidelity: boolean, more?: Partial<ModelFacts>): ModelFacts => ({
  qualities: GPT_QUALITIES,
  outputFormats: GPT_FORMATS,
  backgrounds,
  inputFidelity,
  maxCount: 10,
  presets: GPT_IMAGE_PRESETS,
  customSizes: false,
  ...more,
});
const dallE = (qualities: readonly string[], maxCount: number, presets: readonly string[], price: ImagePrices): ModelFacts => ({
  qualities,
  outputFormats: [],
  backgrounds: [],
  inputFidelity: false,
  maxCount,
  presets,
  customSizes: false,
  price,
});

// Prices read 2026-12-03: gpt-image-1 and gpt-image-1-mini from their OpenAI model pages
// (developers.openai.com/api/docs/models; gpt-image-1 is retired there, mini deprecated);
// dall-e-2 and dall-e-3 as OpenAI's pricing page listed them before both left its API; gpt-image-2
// from third-party reports of OpenAI's prices ($5 / $8 / $30), not an OpenAI page. Compatible
// endpoints still serve all of them; other models (gpt-image-1.5, ...) have no price here.
// Output tokens: OpenAI's image generation guide publishes them for gpt-image-1 only.
// In the order the composer offers them; the first is the default for new users.
const MODELS: Readonly<Record<string, ModelFacts>> = {
  // gpt-image-2 has no transparent background.
  "gpt-image-2": gptImage(["auto", "opaque"], true, {
    presets: [...GPT_IMAGE_PRESETS, "2048x2048", "2048x1152", "1152x2048", "3840x2160", "2160x3840"],
    customSizes: true,
    price: [5, 8, 30],
    // From the reported per-image prices at 1024x1024 ($0.007 / $0.063 / $0.25) at $30 per 1M output tokens.
    outputTokensSquare: { low: 233, medium: 2100, high: 8333 },
  }),
  "gpt-image-1.5": gptImage(ALL_BACKGROUNDS, true),
  "gpt-image-1": gptImage(ALL_BACKGROUNDS, true, {
    price: [5, 10, 40],
    outputTokens: {
      low: { "1024x1024": 272, "1024x1536": 408, "1536x1024": 400 },
      medium: { "1024x1024": 1056, "1024x1536": 1584, "1536x1024": 1568 },
      high: { "1024x1024": 4160, "1024x1536": 6240, "1536x1024": 6208 },
    },
    outputTokensSquare: GPT_IMAGE_1_SQUARE,
  }),
  // Inferred: mini renders the same image tokens as gpt-image-1 at a lower price per token.
  "gpt-image-1-mini": gptImage(ALL_BACKGROUNDS, false, { price: [2, 2.5, 8], outputTokensSquare: GPT_IMAGE_1_SQUARE }),
  "chatgpt-image-latest": gptImage(ALL_BACKGROUNDS, true),
  "dall-e-3": dallE(["standard", "hd"], 1, ["1024x1024", "1792x1024", "1024x1792"], {
    "standard 1024x1024": 0.04, "standard 1024x1792": 0.08, "standard 1792x1024": 0.08, "hd 1024x1024": 0.08, "hd 1024x1792": 0.12, "hd 1792x1024": 0.12,
  }),
  "dall-e-2": dallE(["standard"], 10, ["256x256", "512x512", "1024x1024"], { "256x256": 0.016, "512x512": 0.018, "1024x1024": 0.02 }),
};

/** The model names the composer suggests (any other name may still be typed). */
export const KNOWN_MODELS: readonly string[] = Object.keys(MODELS);
export const DEFAULT_MODEL = KNOWN_MODELS[0]!;

/** A dated snapshot (gpt-image-2-2026-04-21) follows the rules and prices of its model. */
export const modelFamily = (model: string) => model.replace(/-\d{4}-\d{2}-\d{2}$/, "");

/** The facts of a known model (a dated snapshot's are its model's), or undefined for a model left to its provider. */
export const knownModel = (model: string): ModelFacts | undefined => (Object.hasOwn(MODELS, modelFamily(model)) ? MODELS[modelFamily(model)] : undefined);

/** The options of a known model, or undefined for a model left to its provider. */
export const knownModelOptions = (model: string): ModelOptions | undefined => knownModel(model);

const ANY_MODEL: ModelFacts = gptImage(ALL_BACKGROUNDS, true);

/** What the composer offers for `model`. */
export const modelOptionsFor = (model: string): ModelOptions => knownModel(model) ?? ANY_MODEL;

/** The sizes `model` takes by name (an unknown model is offered the gpt-image ones). */
export const presetsFor = (model: string): readonly string[] => (knownModel(model) ?? ANY_MODEL).presets;

export interface ModelOptionProblem extends RuleBreak {
  field: "quality" | "outputFormat" | "background" | "inputFidelity" | "n";
}

const list = (values: readonly string[]) => values.join(", ");

/** Why a known model cannot take these options, naming the rule; empty when it can. */
export function modelOptionProblems(input: {
  model: string;
  quality?: string;
  outputFormat?: string;
  background?: string;
  inputFidelity?: string;
  n: number;
}): ModelOptionProblem[] {
  const options = knownModelOptions(input.model);
  if (!options) return [];
  const problems: ModelOptionProblem[] = [];
  const { model } = input;
  if (input.quality !== undefined && !options.qualities.includes(input.quality)) {
    problems.push({ field: "quality", rule: "qualityUnsupported", params: { model, values: list(options.qualities) } });
  }
  if (input.outputFormat !== undefined && !options.outputFormats.includes(input.outputFormat)) {
    problems.push(
      options.outputFormats.length
        ? { field: "outputFormat", rule: "formatUnsupported", params: { model, values: list(options.outputFormats) } }
        : { field: "outputFormat", rule: "formatPngOnly", params: { model } },
    );
  }
  if (input.background !== undefined && !options.backgrounds.includes(input.background)) {
    problems.push(
      options.backgrounds.length
        ? { field: "background", rule: "backgroundUnsupported", params: { model, values: list(options.backgrounds) } }
        : { field: "background", rule: "optionUnsupported", params: { model } },
    );
  }
  if (input.inputFidelity !== undefined && !options.inputFidelity) {
    problems.push({ field: "inputFidelity", rule: "optionUnsupported", params: { model } });
  }
  if (input.n > options.maxCount) {
    problems.push(options.maxCount === 1 ? { field: "n", rule: "countModelOne", params: { model } } : { field: "n", rule: "countModelMax", params: { model, max: options.maxCount } });
  }
  return problems;
}
