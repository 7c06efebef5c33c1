import type { GatewayKind } from "../gatewayCall.ts";
import type { GatewayLabelKey } from "../labels.ts";
import type { Usage } from "../rules/gatewayAnswers.schema.ts";
import { addUp, costOf, estimateOf, type PriceTable, type PricedRequest } from "../rules/pricing.ts";
import type { GatewayStatusView } from "./gatewayStatus.ts";

/** What a card, a result, a history row or the composer knows of a request a price is looked up for. */
export interface PriceFacts {
  model: string;
  size: string;
  quality?: string;
  /** Images asked for (before sending) or received (after). */
  images: number;
  usage?: Usage;
  /** The gateway the call went out on, where known. */
  gatewayKind?: GatewayKind;
  /** The gateway the request was labelled with (a record from before the kind was kept has only this). */
  gatewayLabelKey?: GatewayLabelKey;
}

/**
 * The one place that decides whether a request went to the custom endpoint, which is when the
 * settings' price lines apply: the gateway its call went out on, else the one its label names.
 */
export function pricedRequest({ model, size, quality, images, usage, gatewayKind, gatewayLabelKey }: PriceFacts): PricedRequest {
  return { model, size, quality, images, usage, custom: (gatewayKind ?? gatewayLabelKey) === "custom" };
}

/** One usage line: the answer's token counts, the split of its input when the answer says it, and its estimated cost. */
export interface UsageLineView {
  input: number;
  output: number;
  detail?: { text: number; image: number };
  cost?: number;
}

export function selectUsageLine(usage: Usage, request: Omit<PriceFacts, "usage">, prices: PriceTable): UsageLineView {
  const details = usage.input_tokens_details;
  // The Responses API gives no split: then there is none to show.
  const split = details?.text_tokens !== undefined || details?.image_tokens !== undefined;
  const cost = costOf(pricedRequest({ ...request, usage }), prices);
  return { input: usage.input_tokens ?? 0, output: usage.output_tokens ?? 0, detail: split ? { text: details?.text_tokens ?? 0, image: details?.image_tokens ?? 0 } : undefined, cost };
}

/**
 * The composer's estimate before sending, on the gateway the status line shows: with the custom
 * endpoint's price lines and its streamed partials (billed) when that is where it goes. Undefined
 * when no estimate is known, or the count is not a positive whole number.
 */
export function selectEstimate(
  draft: { model: string; size: string; quality?: string; images: number },
  status: GatewayStatusView,
  stream: { streamPartials: boolean; partialImages: number },
  prices: PriceTable,
): number | undefined {
  return estimateOn(draft, status.status === "available" ? status.labelKey : undefined, stream, prices);
}

/** The estimate of a request about to go to the gateway `gatewayLabelKey` names (a compare's target, or the status line's). */
export function estimateOn(
  draft: { model: string; size: string; quality?: string; images: number },
  gatewayLabelKey: GatewayLabelKey | undefined,
  stream: { streamPartials: boolean; partialImages: number },
  prices: PriceTable,
): number | undefined {
  if (!Number.isInteger(draft.images) || draft.images <= 0) return undefined;
  const request = pricedRequest({ ...draft, ...(gatewayLabelKey ? { gatewayLabelKey } : {}) });
  return estimateOf({ ...request, ...(request.custom && stream.streamPartials ? { partials: stream.partialImages } : {}) }, prices);
}

export type Spend = ReturnType<typeof addUp>;

/**
 * Running totals over history: today's requests (the local day of `now`) and this panel session's
 * (since `sessionStart`). Undefined when nothing was used or priced today. The clock is given, never read.
 */
export function selectUsageTotals(
  records: readonly (PriceFacts & { createdAt: number })[],
  prices: PriceTable,
  clock: { now: number; sessionStart: number },
): { day: Spend; session: Spend } | undefined {
  const today = new Date(clock.now).toDateString();
  const day = records.filter((record) => new Date(record.createdAt).toDateString() === today);
  const total = (list: typeof day) => addUp(list.map(pricedRequest), prices);
  const dayTotal = total(day);
  if (!dayTotal.tokens && !dayTotal.count) return undefined;
  return { day: dayTotal, session: total(day.filter((record) => record.createdAt >= clock.sessionStart)) };
}
