// The size picker's terms: an aspect ratio and a resolution instead of typed pixels. Which choices a
// model offers follows its rules in the model table (models.ts, sizeRules.ts); a provider that takes
// its own size words (`aspect_ratio`, "2K") is given its own terms (`providerSizeTerms`).
import { knownModel, presetsFor } from "./models.ts";
import { SIZE_RULES, sizeRuleBreak } from "./sizeRules.ts";

export const ASPECT_RATIOS = ["1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16", "21:9"] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];
export const RESOLUTIONS = ["1K", "2K", "4K"] as const;

/** One choice of the picker: what the draft's `size` holds for it, and whether the model calls it experimental. */
export interface SizeChoice {
  ratio: string;
  /** "1K" | "2K" | "4K", or a fixed size's own name (dall-e-2's "256"). */
  resolution: string;
  /** The value the request carries: WxH, or the provider's own word. */
  value: string;
  /** Shown beside the choice: the exact WxH where the value is one. */
  pixels?: { width: number; height: number };
  experimental: boolean;
}

/** What a model or provider offers: every choice, ratios in the picker's order. */
export interface SizeTerms {
  choices: readonly SizeChoice[];
  /** Whether a typed WxH is taken too (a custom size stays available in the picker regardless). */
  customSizes: boolean;
}

const ratioValue = (ratio: string) => {
  const [w, h] = ratio.split(":").map(Number);
  return w! / h!;
};
/** Above this many pixels (2560x1440) gpt-image-2 calls a size experimental. */
export const EXPERIMENTAL_PIXELS = 2560 * 1440;
// The pixels of each resolution: 1K and 2K as squares of 1024 and 2048, 4K as 3840x2160 (the
// most gpt-image-2 takes); every ratio of a resolution keeps about its area.
const AREA: Record<(typeof RESOLUTIONS)[number], number> = { "1K": 1024 ** 2, "2K": 2048 ** 2, "4K": 3840 * 2160 };

const snap = (value: number, round: (x: number) => number) => round(value / SIZE_RULES.edgeMultiple) * SIZE_RULES.edgeMultiple;

/** The WxH of `ratio` at `resolution` within the WxH rules, or undefined when none fits. */
export function pixelsFor(ratio: string, resolution: (typeof RESOLUTIONS)[number], model: string): { width: number; height: number } | undefined {
  const r = ratioValue(ratio);
  const area = AREA[resolution];
  let width = Math.sqrt(area * r);
  let height = Math.sqrt(area / r);
  const long = Math.max(width, height);
  if (long > SIZE_RULES.maxEdge) [width, height] = [(width * SIZE_RULES.maxEdge) / long, (height * SIZE_RULES.maxEdge) / long];
  // Nearest multiples first; rounded down when that breaks a limit.
  for (const round of [Math.round, Math.floor]) {
    const size = { width: snap(width, round), height: snap(height, round) };
    if (!sizeRuleBreak(`${size.width}x${size.height}`, model)) return size;
  }
  return undefined;
}

/** The ratio a fixed WxH is closest to (within 3%), else its own W:H. */
function ratioOf(width: number, height: number): string {
  const r = width / height;
  return ASPECT_RATIOS.find((ratio) => Math.abs(ratioValue(ratio) / r - 1) < 0.03) ?? `${width}:${height}`;
}

/** The resolution whose area is nearest (by ratio) to a size's. */
const resolutionOf = ({ width, height }: { width: number; height: number }) =>
  RESOLUTIONS.reduce((best, next) => (Math.abs(Math.log((width * height) / AREA[next])) < Math.abs(Math.log((width * height) / AREA[best])) ? next : best));

const parse = (size: string) => {
  const match = /^(\d+)x(\d+)$/.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
};

/**
 * A model's terms: any-WxH models (gpt-image-2) every ratio at 1K, 2K and 4K that its rules take,
 * above 2560x1440 marked experimental; other models their fixed sizes, each under its ratio
 * (a model left to its provider is offered the gpt-image sizes, and may be typed any WxH).
 */
export function modelSizeTerms(model: string): SizeTerms {
  const known = knownModel(model);
  if (known?.customSizes) {
    const choices: SizeChoice[] = [];
    // The model's named sizes stand for their ratio and resolution (1536x1024 is 3:2 at 1K).
    const named = presetsFor(model).flatMap((value) => {
      const pixels = parse(value);
      return pixels ? [{ ratio: ratioOf(pixels.width, pixels.height), resolution: resolutionOf(pixels), pixels }] : [];
    });
    for (const ratio of ASPECT_RATIOS)
      for (const resolution of RESOLUTIONS) {
        const pixels = named.find((preset) => preset.ratio === ratio && preset.resolution === resolution)?.pixels ?? pixelsFor(ratio, resolution, model);
        if (pixels) choices.push({ ratio, resolution, value: `${pixels.width}x${pixels.height}`, pixels, experimental: pixels.width * pixels.height > EXPERIMENTAL_PIXELS });
      }
    return { choices, customSizes: true };
  }
  const choices = presetsFor(model).flatMap((value): SizeChoice[] => {
    const pixels = parse(value);
    if (!pixels) return [];
    const long = Math.max(pixels.width, pixels.height);
    return [{ ratio: ratioOf(pixels.width, pixels.height), resolution: long >= 1024 ? "1K" : String(long), value, pixels, experimental: false }];
  });
  return { choices, customSizes: !known };
}

/**
 * Terms for a provider that names sizes its own way: `value(ratio, resolution)` is what its
 * request carries (e.g. "2K" for Seedream, or a ratio for an `aspect_ratio` field), undefined
 * where it has no such size.
 */
export function providerSizeTerms(ratios: readonly string[], resolutions: readonly string[], value: (ratio: string, resolution: string) => string | undefined): SizeTerms {
  const choices: SizeChoice[] = [];
  for (const ratio of ratios)
    for (const resolution of resolutions) {
      const carried = value(ratio, resolution);
      if (carried !== undefined) choices.push({ ratio, resolution, value: carried, experimental: false });
    }
  return { choices, customSizes: false };
}

/** The ratios the terms offer, in order. */
export const ratiosOf = (terms: SizeTerms) => [...new Set(terms.choices.map((choice) => choice.ratio))];

/** The choice a draft size is, if any (else it is "auto" or a custom size). */
export const choiceOf = (terms: SizeTerms, size: string) => terms.choices.find((choice) => choice.value === size);

/** The choice for `ratio`, at `resolution` when it has one, else its first. */
export function pick(terms: SizeTerms, ratio: string, resolution?: string): SizeChoice | undefined {
  const ofRatio = terms.choices.filter((choice) => choice.ratio === ratio);
  return ofRatio.find((choice) => choice.resolution === resolution) ?? ofRatio[0];
}
