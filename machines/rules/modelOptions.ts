// What each known image model accepts besides its size (OpenAI's image API reference). A custom
// endpoint may serve any model: unknown ones are offered the gpt-image choices and left to their
// provider to judge, so a model we have not heard of is never refused here.
import type { RuleBreak } from "./inputRules.ts";

export interface ModelOptions {
  /** Quality values the model takes; leaving quality out means the model's own default. */
  qualities: readonly string[];
  /** Output formats the model can return; empty = PNG only, and the field must not be sent. */
  outputFormats: readonly string[];
  /** Images per request. */
  maxCount: number;
}

const GPT_IMAGE: ModelOptions = { qualities: ["auto", "low", "medium", "high"], outputFormats: ["png", "jpeg", "webp"], maxCount: 10 };

const KNOWN: Record<string, ModelOptions> = {
  "dall-e-3": { qualities: ["standard", "hd"], outputFormats: [], maxCount: 1 },
  "dall-e-2": { qualities: ["standard"], outputFormats: [], maxCount: 10 },
};

/** The options of a known model (dated snapshots such as gpt-image-2-2026-04-21 included). */
export function knownModelOptions(model: string): ModelOptions | undefined {
  return KNOWN[model] ?? (model.startsWith("gpt-image-") ? GPT_IMAGE : undefined);
}

/** What the composer offers for `model`. */
export const modelOptionsFor = (model: string): ModelOptions => knownModelOptions(model) ?? GPT_IMAGE;

export interface ModelOptionProblem extends RuleBreak {
  field: "quality" | "outputFormat" | "n";
}

const list = (values: readonly string[]) => values.join(", ");

/** Why a known model cannot take these options, naming the rule; empty when it can. */
export function modelOptionProblems(input: { model: string; quality?: string; outputFormat?: string; n: number }): ModelOptionProblem[] {
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
  if (input.n > options.maxCount) {
    problems.push(options.maxCount === 1 ? { field: "n", rule: "countModelOne", params: { model } } : { field: "n", rule: "countModelMax", params: { model, max: options.maxCount } });
  }
  return problems;
}
