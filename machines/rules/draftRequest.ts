import { ruleText, type RuleBreak } from "./inputRules.ts";
import { modelOptionsFor, type ModelOptions } from "./models.ts";
import { fieldsForModel, type ProviderFields } from "./providerFields.ts";
import { takesRatioSize } from "./ratioSizes.ts";
import { validateRequestInput, type ImageFile, type InputProblem } from "./requestInput.schema.ts";
import { sizeRuleBreak } from "./sizeRules.ts";

/** The composer's fields as the draft keeps them (the user's other choices survive a model switch). */
export interface DraftFields {
  mode: "generate" | "edit";
  prompt: string;
  model?: string;
  size?: string;
  n: number;
  quality?: string;
  outputFormat?: string;
  background?: string;
  inputFidelity?: string;
  /** Kept while a provider that does not take them is chosen; sent only where one does. */
  seed?: number;
  negativePrompt?: string;
}

export interface DraftDefaults {
  defaultModel: string;
  defaultSize: string;
}

/** What the composer shows and what it would send: only options the chosen model takes. */
export interface DraftView {
  model: string;
  size: string;
  options: ModelOptions;
  quality?: string;
  outputFormat?: string;
  background?: string;
  /** Sent with edits only (generations take no input fidelity). */
  inputFidelity?: string;
  /** Where the endpoint's provider takes them. */
  seed?: number;
  negativePrompt?: string;
  /** The generate request the draft makes (an edit adds its files with `editRequest`). */
  request: Record<string, unknown>;
  sizeProblem?: RuleBreak;
}

/** The size rule a provider with its own terms adds: a ratio provider takes only its ratios and resolutions. */
const providerSizeBreak = (size: string, fields: ProviderFields | undefined): RuleBreak | undefined =>
  fields?.sizes === "ratio" && fields.ratioTerms && !takesRatioSize(fields.ratioTerms, size) ? { rule: "sizeProviderTerms" } : undefined;

/**
 * The draft as the composer shows and sends it; `fields`, what the endpoint's provider takes (OpenAI's
 * set when absent), adds its own size terms, seed and negative prompt.
 */
export function selectDraft(draft: DraftFields, defaults: DraftDefaults, providerFields?: ProviderFields): DraftView {
  const model = draft.model ?? defaults.defaultModel;
  const size = draft.size ?? defaults.defaultSize;
  const options = modelOptionsFor(model);
  const quality = draft.quality && options.qualities.includes(draft.quality) ? draft.quality : undefined;
  const outputFormat = draft.outputFormat && options.outputFormats.includes(draft.outputFormat) ? draft.outputFormat : undefined;
  const background = draft.background && options.backgrounds.includes(draft.background) ? draft.background : undefined;
  const inputFidelity = draft.inputFidelity && options.inputFidelity ? draft.inputFidelity : undefined;
  const fields = providerFields && fieldsForModel(providerFields, model);
  const seed = fields?.seed ? draft.seed : undefined;
  const negativePrompt = fields?.negativePrompt && draft.negativePrompt?.trim() ? draft.negativePrompt : undefined;
  const request = {
    operation: "generate" as const,
    prompt: draft.prompt,
    model,
    size,
    n: draft.n,
    ...(quality ? { quality } : {}),
    ...(outputFormat ? { outputFormat } : {}),
    ...(background ? { background } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(negativePrompt ? { negativePrompt } : {}),
  };
  const sizeProblem = sizeRuleBreak(size, model) ?? providerSizeBreak(size, fields);
  return {
    model,
    size,
    options,
    ...(quality ? { quality } : {}),
    ...(outputFormat ? { outputFormat } : {}),
    ...(background ? { background } : {}),
    ...(inputFidelity ? { inputFidelity } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(negativePrompt ? { negativePrompt } : {}),
    request,
    ...(sizeProblem ? { sizeProblem } : {}),
  };
}

/**
 * The draft request's broken rules by field, for the fields the composer marks. Separate from the
 * view: the first validation builds the request schema, which the panel's first paint need not
 * wait for.
 */
export function draftProblems(view: DraftView): InputProblem[] {
  const problems = requestProblems(view.request);
  // The provider's own size terms are the composer's to check: the request schema knows no provider.
  const provider = view.sizeProblem?.rule === "sizeProviderTerms" ? view.sizeProblem : undefined;
  return provider && !problems.some((problem) => problem.field === "size") ? [...problems, { field: "size", message: ruleText(provider), ...provider }] : problems;
}

/** A request's broken rules by field (an edit's reference images and mask included). */
export function requestProblems(request: unknown): InputProblem[] {
  const validation = validateRequestInput(request);
  return validation.ok ? [] : validation.problems;
}

/** The edit request of a draft: its generate request with the reference images and mask. */
export const editRequest = (view: DraftView, files: { images: ImageFile[]; mask?: ImageFile }) => ({
  ...view.request,
  operation: "edit" as const,
  ...(view.inputFidelity ? { inputFidelity: view.inputFidelity } : {}),
  ...files,
});
