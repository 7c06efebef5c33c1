// What each known image model accepts besides its size (OpenAI's image API reference). A custom
// endpoint may serve any model: unknown ones are offered every choice and left to their provider
// to judge, so a model we have not heard of is never refused here.
import type { RuleBreak } from "./inputRules.ts";

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

export const INPUT_FIDELITIES = ["high", "low"] as const;
const GPT_QUALITIES = ["auto", "low", "medium", "high"];
const GPT_FORMATS = ["png", "jpeg", "webp"];
const ALL_BACKGROUNDS = ["auto", "transparent", "opaque"];
const gptImage = (backgrounds: readonly string[], inputFidelity: boolean): ModelOptions => ({
  qualities: GPT_QUALITIES,
  outputFormats: GPT_FORMATS,
  backgrounds,
  inputFidelity,
  maxCount: 10,
});
const dallE = (qualities: readonly string[], maxCount: number): ModelOptions => ({ qualities, outputFormats: [], backgrounds: [], inputFidelity: false, maxCount });

// In the order the composer offers them; the first is the default for new users.
const KNOWN: Record<string, ModelOptions> = {
  // gpt-image-2 has no transparent background.
  "gpt-image-2": gptImage(["auto", "opaque"], true),
  "gpt-image-1.5": gptImage(ALL_BACKGROUNDS, true),
  "gpt-image-1": gptImage(ALL_BACKGROUNDS, true),
  "gpt-image-1-mini": gptImage(ALL_BACKGROUNDS, false),
  "chatgpt-image-latest": gptImage(ALL_BACKGROUNDS, true),
  "dall-e-3": dallE(["standard", "hd"], 1),
  "dall-e-2": dallE(["standard"], 10),
};

/** The model names the composer suggests (any other name may still be typed). */
export const KNOWN_MODELS: readonly string[] = Object.keys(KNOWN);
export const DEFAULT_MODEL = KNOWN_MODELS[0]!;

/** A dated snapshot (gpt-image-2-2026-04-21) follows the rules of its model. */
export const modelFamily = (model: string) => model.replace(/-\d{4}-\d{2}-\d{2}$/, "");

/** The options of a known model, or undefined for a model left to its provider. */
export const knownModelOptions = (model: string): ModelOptions | undefined => KNOWN[modelFamily(model)];

const ANY_MODEL: ModelOptions = gptImage(ALL_BACKGROUNDS, true);

/** What the composer offers for `model`. */
export const modelOptionsFor = (model: string): ModelOptions => knownModelOptions(model) ?? ANY_MODEL;

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
