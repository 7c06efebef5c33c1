import type { BatchItem } from "../rules/batchPlan.ts";

/** The draft of one request of a batch, as far as its price needs it. */
export interface PricedItem {
  model: string;
  size: string;
  quality?: string;
  images: number;
  target?: BatchItem["target"];
}

/** What the composer shows before a batch or compare is sent: requests, images, and the estimated
 * cost of those with a price (`unpriced` says how many have none). */
export interface BatchPreviewView {
  requests: number;
  images: number;
  cost?: number;
  unpriced: number;
}

const pricedItem = ({ input, target }: BatchItem): PricedItem => {
  const fields = input as { model?: unknown; size?: unknown; quality?: unknown; n?: unknown };
  return {
    model: String(fields.model ?? ""),
    size: String(fields.size ?? ""),
    ...(typeof fields.quality === "string" ? { quality: fields.quality } : {}),
    images: typeof fields.n === "number" ? fields.n : 1,
    ...(target ? { target } : {}),
  };
};

export function selectBatchPreview(items: readonly BatchItem[], estimate: (item: PricedItem) => number | undefined): BatchPreviewView {
  const priced = items.map(pricedItem);
  const costs = priced.map(estimate);
  const known = costs.filter((cost): cost is number => cost !== undefined);
  return {
    requests: priced.length,
    images: priced.reduce((sum, item) => sum + item.images, 0),
    ...(known.length ? { cost: known.reduce((sum, cost) => sum + cost, 0) } : {}),
    unpriced: costs.length - known.length,
  };
}
