// The rules a request input must follow, worded in English with {placeholders}. The keys double
// as i18n keys (`rule.<key>`), so the panel words a broken rule in the user's language while the
// machines keep an English summary for the request card and tests.

export const INPUT_RULES = {
  promptEmpty: "must not be empty",
  promptTooLong: "must be at most {max} characters",
  modelEmpty: "must be chosen",
  countRange: "must be a whole number from 1 to {max}",
  countModelMax: "{model} makes at most {max} images per request",
  countModelOne: "{model} makes at most 1 image per request",
  sizeFormat: 'must be "auto", a preset such as 1024x1024, or WIDTHxHEIGHT',
  sizePresetsOnly: "{model} only takes {presets}",
  sizeEdgeMultiple: "both edges must be multiples of {multiple}",
  sizeMaxEdge: "the longest edge must be at most {max} px",
  sizeRatio: "the aspect ratio must be at most {ratio}:1",
  sizePixels: "the total pixels must be between {min} and {max}",
  qualityUnsupported: "{model} takes quality {values}",
  formatUnsupported: "{model} returns {values}",
  formatPngOnly: "{model} always returns PNG; leave the format unset",
  backgroundUnsupported: "{model} takes background {values}",
  optionUnsupported: "{model} does not take this option; leave it unset",
  fileName: "needs a file name",
  imageType: "must be a PNG, JPEG or WebP image",
  imagesMin: "an edit needs at least one reference image",
  imagesMax: "an edit takes at most {max} reference images",
  maskPng: "the mask must be a PNG image",
  sizeProviderTerms: "this provider takes an aspect ratio and resolution from the list, or auto",
  seedRange: "must be a whole number from 0 to {max}",
  negativePromptTooLong: "must be at most {max} characters",
} as const;
export type InputRule = keyof typeof INPUT_RULES;

export type RuleParams = Record<string, string | number>;

/** A rule an input broke, with the values its wording names. */
export interface RuleBreak {
  rule: InputRule;
  params?: RuleParams;
}

export const isInputRule = (value: string): value is InputRule => Object.hasOwn(INPUT_RULES, value);

/** `{name}` placeholders filled from `params` (a missing one stays visible as `{name}`). */
export const fillTemplate = (template: string, params?: RuleParams) =>
  params ? template.replace(/\{(\w+)\}/g, (_match, name: string) => String(params[name] ?? `{${name}}`)) : template;

export const ruleText = ({ rule, params }: RuleBreak) => fillTemplate(INPUT_RULES[rule], params);
