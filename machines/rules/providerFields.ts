// Which request fields an endpoint's provider takes (its profile's preset says so). The composer
// offers only these (views/composerFields.ts), and a request built for the profile leaves the
// others out (`withoutRefusedFields`): a provider that refuses a field never receives it.

export interface ProviderFields {
  /**
   * WxH sizes (`size`), named tiers only ("2K"), an aspect ratio and resolution of its own
   * (`aspect_ratio` and `resolution`, `ratioTerms`), or none: it refuses `size`.
   */
  sizes: "wxh" | "tiers" | "ratio" | "none";
  /** Sizes it offers by name (its tiers, or WxH suggestions); empty: the model's own. */
  sizeChoices: readonly string[];
  /** With `sizes: "ratio"`: the provider's ratios and resolutions, spelled as it takes them. */
  ratioTerms?: RatioTerms;
  quality: boolean;
  outputFormat: boolean;
  background: boolean;
  /** Edits' `input_fidelity`. */
  inputFidelity: boolean;
  /** Images per request at most. */
  maxCount: number;
  edits: boolean;
  mask: boolean;
  streaming: boolean;
  seed: boolean;
  negativePrompt: boolean;
}

export interface RatioTerms {
  ratios: readonly string[];
  resolutions: readonly string[];
  /** The model ids (by prefix) that take them; absent: every model. Others are offered no size. */
  models?: readonly string[];
}

/** Everything OpenAI's Images API takes: what an endpoint of unknown kind is offered. */
export const OPENAI_FIELDS: ProviderFields = {
  sizes: "wxh",
  sizeChoices: [],
  quality: true,
  outputFormat: true,
  background: true,
  inputFidelity: true,
  maxCount: 10,
  edits: true,
  mask: true,
  streaming: true,
  seed: false,
  negativePrompt: false,
};

/** The OpenAI-named request fields each provider field stands for. */
const REQUEST_FIELDS: Record<string, (fields: ProviderFields) => boolean> = {
  size: (fields) => fields.sizes !== "none",
  aspect_ratio: (fields) => fields.sizes === "ratio",
  resolution: (fields) => fields.sizes === "ratio",
  quality: (fields) => fields.quality,
  output_format: (fields) => fields.outputFormat,
  output_compression: (fields) => fields.outputFormat,
  background: (fields) => fields.background,
  input_fidelity: (fields) => fields.inputFidelity,
  mask: (fields) => fields.mask,
  seed: (fields) => fields.seed,
  negative_prompt: (fields) => fields.negativePrompt,
};

/** What the provider takes for `model`: a ratio provider offers no size for a model its terms leave out. */
export function fieldsForModel(fields: ProviderFields, model: string): ProviderFields {
  const models = fields.sizes === "ratio" ? fields.ratioTerms?.models : undefined;
  return models && !models.some((prefix) => model.startsWith(prefix)) ? { ...fields, sizes: "none" } : fields;
}

/** The request (OpenAI's field names) without the fields the provider refuses. */
export function withoutRefusedFields<T extends object>(request: T, fields: ProviderFields): Partial<T> {
  return Object.fromEntries(Object.entries(request).filter(([name]) => REQUEST_FIELDS[name]?.(fields) ?? true)) as Partial<T>;
}
