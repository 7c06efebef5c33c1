// Sizes of a provider that takes an aspect ratio and a resolution of its own instead of WxH (xAI's
// `aspect_ratio` + `resolution`; OpenRouter's `image_config` for Gemini image models). The draft's
// `size` holds both as one value, "16:9 2k", so history, reuse and export keep it like any size;
// the request leaves with them as `aspect_ratio` and `resolution`, spelled as the provider takes them.
import type { ProviderFields, RatioTerms } from "./providerFields.ts";
import { providerSizeTerms, type SizeTerms } from "./sizePresets.ts";

/** "16:9", "19.5:9" or "auto" (the provider picks the ratio), then a space and a resolution ("2k", "4K"). */
const RATIO_SIZE = /^(auto|[1-9]\d?(?:\.\d)?:[1-9]\d?(?:\.\d)?) ([1-8][kK])$/;

export const ratioSize = (ratio: string, resolution: string) => `${ratio} ${resolution}`;

/** A ratio size's parts, or undefined for any other size. */
export function parseRatioSize(size: string): { aspectRatio: string; resolution: string } | undefined {
  const match = RATIO_SIZE.exec(size);
  return match ? { aspectRatio: match[1]!, resolution: match[2]! } : undefined;
}

/** Whether `size` is a ratio size at all (any provider's). */
export const isRatioSize = (size: string) => RATIO_SIZE.test(size);

/** The size picker's terms for a ratio provider: every ratio at each of its resolutions. */
export const ratioSizeTerms = (terms: RatioTerms): SizeTerms => providerSizeTerms(terms.ratios, terms.resolutions, ratioSize);

/** Whether `size` is one the provider's terms offer ("auto" alone leaves both to the provider). */
export const takesRatioSize = (terms: RatioTerms, size: string) => {
  if (size === "auto") return true;
  const parts = parseRatioSize(size);
  return Boolean(parts && terms.ratios.includes(parts.aspectRatio) && terms.resolutions.includes(parts.resolution));
};

const PIXELS = /^(\d+)x(\d+)$/;
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
/** A resolution's long edge in pixels: "2k" → 2048. */
const edgeOf = (resolution: string) => Number(resolution.slice(0, -1)) * 1024;

/**
 * A WxH size in the provider's terms, when its exact ratio is one the provider offers: that ratio at
 * the smallest resolution at least as long as the size's long edge (else the largest). What a compare
 * column or a re-run carries to a ratio provider: the same shape as asked, never another one.
 */
export function ratioSizeOfPixels(terms: RatioTerms, size: string): string | undefined {
  const match = PIXELS.exec(size);
  if (!match) return undefined;
  const [width, height] = [Number(match[1]), Number(match[2])];
  const divisor = gcd(width, height);
  if (!divisor) return undefined;
  const ratio = `${width / divisor}:${height / divisor}`;
  if (!terms.ratios.includes(ratio)) return undefined;
  const byEdge = [...terms.resolutions].sort((a, b) => edgeOf(a) - edgeOf(b));
  const resolution = byEdge.find((each) => edgeOf(each) >= Math.max(width, height)) ?? byEdge.at(-1);
  return resolution === undefined ? undefined : ratioSize(ratio, resolution);
}

/**
 * The request (OpenAI's field names) with its `size` under the provider's names: a ratio size
 * becomes `aspect_ratio` and `resolution`, "auto" neither (the provider's default applies), a WxH
 * size its exact ratio (`ratioSizeOfPixels`). Answers `{ refused }` for a size the provider's terms
 * do not offer: nothing is sent then.
 */
export function withProviderSizeNames<T extends Record<string, unknown>>(request: T, fields: ProviderFields): { request: Record<string, unknown> } | { refused: string } {
  if (fields.sizes !== "ratio" || !fields.ratioTerms || typeof request.size !== "string") return { request };
  const { size: asked, ...rest } = request;
  const size = ratioSizeOfPixels(fields.ratioTerms, asked) ?? asked;
  if (!takesRatioSize(fields.ratioTerms, size)) return { refused: asked };
  const parts = parseRatioSize(size);
  return { request: parts ? { ...rest, aspect_ratio: parts.aspectRatio, resolution: parts.resolution } : rest };
}
