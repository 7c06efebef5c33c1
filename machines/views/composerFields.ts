import type { DraftView } from "../rules/draftRequest.ts";
import { OPENAI_FIELDS, type ProviderFields } from "../rules/providerFields.ts";

/** What the composer offers: only what the chosen model takes and the endpoint's provider takes too. */
export interface ComposerFieldsView {
  /** The size select; absent when the provider refuses `size` (its own default applies). */
  size?: { choices: string[]; custom: boolean };
  qualities: readonly string[];
  outputFormats: readonly string[];
  backgrounds: readonly string[];
  inputFidelity: boolean;
  maxCount: number;
  /** Whether Edit is offered at all, and a mask with it. */
  edits: boolean;
  mask: boolean;
  /** Model names to suggest: the profile's listed models first, then the known ones. */
  modelSuggestions: string[];
}

/**
 * The composer's fields for a draft on an endpoint whose provider takes `fields` (OpenAI's own
 * set on the managed gateway and the mock). A model the profile does not list is still allowed.
 */
export function selectComposerFields(draft: DraftView, fields: ProviderFields = OPENAI_FIELDS, listed: readonly string[] = [], known: readonly string[] = []): ComposerFieldsView {
  const { options } = draft;
  const size =
    fields.sizes === "none"
      ? undefined
      : fields.sizes === "tiers"
        ? { choices: [...fields.sizeChoices], custom: false }
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
    modelSuggestions: [...new Set([...listed, ...known])],
  };
}
