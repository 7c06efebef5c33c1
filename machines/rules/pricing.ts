// Estimated cost of image requests from a per-model price table. Always an estimate: the
// provider's bill is what counts, and a model without a price (models.ts, or the settings' price
// lines for the custom endpoint) gives no estimate at all.
import type { Usage } from "./gatewayAnswers.schema.ts";
import { knownModel, modelFamily, type ImagePrices, type TokenPrices } from "./models.ts";

export type PriceTable = Readonly<Record<string, TokenPrices | ImagePrices>>;

/** Each streamed partial image costs 100 more image output tokens (OpenAI's image generation guide). */
const PARTIAL_TOKENS = 100;

export interface PricedRequest {
  model: string;
  size: string;
  quality?: string;
  /** Images asked for (before sending) or received (after). */
  images: number;
  /** Streamed partial images per image. */
  partials?: number;
  usage?: Usage;
  /** Sent to the custom endpoint: only then do the settings' price lines apply (it may charge differently). */
  custom?: boolean;
}

/** Price lines as the settings hold them: `<model> <USD per image>` or `<model> <text in> <image in> <image out>` (USD per 1M tokens). */
export function parsePrices(text: string): { ok: true; prices: PriceTable } | { ok: false; line: number } {
  const prices: Record<string, TokenPrices | ImagePrices> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const [model, ...rest] = lines[index]!.trim().split(/\s+/);
    if (!model) continue;
    const values = rest.map(Number);
    if ((values.length !== 1 && values.length !== 3) || values.some((value) => !(value >= 0 && value < 1e6))) return { ok: false, line: index + 1 };
    prices[model] = values.length === 1 ? { "*": values[0]! } : values;
  }
  return { ok: true, prices };
}

// A dated snapshot (gpt-image-2-2026-04-21) costs what its model costs.
const priceOf = ({ model, custom }: PricedRequest, overrides: PriceTable) =>
  (custom ? (overrides[model] ?? overrides[modelFamily(model)]) : undefined) ?? knownModel(model)?.price;
const perImage = (prices: ImagePrices, { size, quality }: PricedRequest) => prices[`${quality ?? "standard"} ${size}`] ?? prices[size] ?? prices["*"];

/** What the answer's usage (token models) or its images (per-image models) cost, in USD. */
export function costOf(request: PricedRequest, overrides: PriceTable = {}): number | undefined {
  const prices = priceOf(request, overrides);
  if (!prices) return undefined;
  if (!Array.isArray(prices)) {
    const price = perImage(prices as ImagePrices, request);
    return price === undefined ? undefined : price * request.images;
  }
  const { usage } = request;
  if (usage?.input_tokens === undefined && usage?.output_tokens === undefined) return undefined;
  const details = usage.input_tokens_details;
  const text = details?.text_tokens ?? (details?.image_tokens === undefined ? (usage.input_tokens ?? 0) : 0);
  const [textIn, imageIn, imageOut] = prices as TokenPrices;
  return (text * textIn! + (details?.image_tokens ?? 0) * imageIn! + (usage.output_tokens ?? 0) * imageOut!) / 1e6;
}

// Quality left to the model (absent or auto) is estimated at its dearest: an estimate never under-promises.
const estimatedQuality = (quality: string | undefined) => (!quality || quality === "auto" ? "high" : quality);
const SQUARE = 1024 * 1024;

/** Image output tokens of one image: the published figure for the size, else the 1024x1024 one scaled by area (auto: 1024x1024). */
function outputTokensOf({ model, size, quality }: PricedRequest): number | undefined {
  const facts = knownModel(model);
  const chosen = estimatedQuality(quality);
  const listed = facts?.outputTokens?.[chosen]?.[size];
  if (listed !== undefined) return listed;
  const square = facts?.outputTokensSquare?.[chosen];
  if (square === undefined) return undefined;
  if (size === "auto") return square;
  const match = /^(\d+)x(\d+)$/.exec(size);
  return match ? Math.round((square * Number(match[1]) * Number(match[2])) / SQUARE) : undefined;
}

/** The cost before sending: published output tokens (and partials) for token models, the list price
 * for per-image models; undefined when neither is known (a size or quality left to the model). */
export function estimateOf(request: PricedRequest, overrides: PriceTable = {}): number | undefined {
  const prices = priceOf(request, overrides);
  if (!Array.isArray(prices)) return costOf(request, overrides);
  const tokens = outputTokensOf(request);
  if (tokens === undefined) return undefined;
  return costOf({ ...request, usage: { output_tokens: (tokens + (request.partials ?? 0) * PARTIAL_TOKENS) * request.images } }, overrides);
}

/** Tokens and estimated cost of many requests (a session, a day); cost counts the priced ones. */
export function addUp(requests: readonly PricedRequest[], overrides: PriceTable = {}): { tokens: number; cost: number; count: number } {
  let tokens = 0;
  let cost = 0;
  let count = 0;
  for (const request of requests) {
    const usage = request.usage;
    tokens += usage?.total_tokens ?? (usage?.input_tokens ?? 0) + (usage?.output_tokens ?? 0);
    const price = costOf(request, overrides);
    if (price !== undefined) [cost, count] = [cost + price, count + 1];
  }
  return { tokens, cost, count };
}
