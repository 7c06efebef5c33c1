import type { DraftView } from "../rules/draftRequest.ts";
import { fieldsForModel, OPENAI_FIELDS, type ProviderFields } from "../rules/providerFields.ts";
import { ratioSizeTerms } from "../rules/ratioSizes.ts";
import { providerSizeTerms, type SizeTerms } from "../rules/sizePresets.ts";

/** What the composer offers: only what the chosen model takes and the endpoint's provider takes too. */
export interface ComposerFieldsView {
  /**
   * The size picker; absent when the provider takes no size (its own default applies). `terms`:
   * the provider's own (tiers, or aspect ratio and resolution); absent, the model's rules.
   */
  size?: { choices: string[]; custom: boolean; terms?: SizeTerms };
  qualities: readonly string[];
  outputFormats: readonly string[];
  backgrounds: readonly string[];
  inputFidelity: boolean;
  maxCount: number;
  /** Whether Edit is offered at all, and a mask with it. */
  edits: boolean;
  mask: boolean;
  /** A seed and a negative prompt, where the provider takes them. */
  seed: boolean;
  negativePrompt: boolean;
  /** Model names to suggest: the profile's listed models first, then the known ones. */
  modelSuggestions: string[];
}

/**
 * The composer's fields for a draft on an endpoint whose provider takes `fields` (OpenAI's own
 * set on the managed gateway and the mock). A model the profile does not list is still allowed.
 */
export function selectComposerFields(draft: DraftView, provider: ProviderFields = OPENAI_FIELDS, listed: readonly string[] = [], known: readonly string[] = []): ComposerFieldsView {
  const { options } = draft;
  const fields = fieldsForModel(provider, draft.model);
  const size =
    fields.sizes === "none"
      ? undefined
      : fields.sizes === "tiers"
        ? { choices: [...fields.sizeChoices], custom: false, terms: providerSizeTerms(["auto"], fields.sizeChoices, (_ratio, tier) => tier) }
        : fields.sizes === "ratio" && fields.ratioTerms
          ? { choices: [], custom: false, terms: ratioSizeTerms(fields.ratioTerms) }
          : { choices: [...fields.sizeChoices], custom: true };
  return {
    ...(size ? { size } : {}),
    qualities: fields.quality ? options.qualities : [],
    outputFormats: fields.outputFormat ? options.outputFormats : [],
    backgrounds: fields.background ? options.backgrounds : [],
    inputFidelity: fields.inputFidelity && options.inputFidelity,
    maxCount: Math.min(options.maxCount, fields.maxCount),
    edits: fields.edits,
    mask: fields.edits && fields.mask,
    seed: fields.seed,
    negativePrompt: fields.negativePrompt,
    modelSuggestions: [...new Set([...listed, ...known])],
  };
}
