import { describe, expect, it } from "vitest";
import { estimateOf, parsePrices } from "../../machines/rules/pricing.ts";
import { pricedRequest, selectEstimate, selectUsageLine, selectUsageTotals, type GatewayStatusView } from "../../machines/views.ts";

const parsed = parsePrices("gpt-image-1 1 2 3");
const prices = parsed.ok ? parsed.prices : {};
const usage = { input_tokens: 10, output_tokens: 1000, total_tokens: 1010 };
const custom: GatewayStatusView = { status: "available", tone: "neutral", labelKey: "custom", reason: "chosen", proof: "customUntried" };
const managed: GatewayStatusView = { status: "available", tone: "ok", labelKey: "managed", reason: "managedAvailable", proof: "sessionVerified" };
const noStream = { streamPartials: false, partialImages: 2 };

describe("the price input: one decision of what the custom endpoint is", () => {
  it("reads the gateway the call went out on, else the one the request was labelled with", () => {
    const base = { model: "gpt-image-1", size: "1024x1024", images: 1 };
    expect(pricedRequest({ ...base, gatewayKind: "custom" }).custom).toBe(true);
    expect(pricedRequest({ ...base, gatewayLabelKey: "custom" }).custom).toBe(true);
    expect(pricedRequest({ ...base, gatewayKind: "managed", gatewayLabelKey: "managed" }).custom).toBe(false);
    expect(pricedRequest({ ...base, gatewayLabelKey: "cloud" }).custom).toBe(false);
    expect(pricedRequest(base)).toEqual({ ...base, custom: false });
  });

  it("prices a usage line with the settings' lines only on the custom endpoint, and shows the input split when the answer gives one", () => {
    const request = { model: "gpt-image-1", size: "1024x1024", images: 1 };
    expect(selectUsageLine(usage, { ...request, gatewayKind: "custom" }, prices)).toEqual({ input: 10, output: 1000, cost: (10 * 1 + 1000 * 3) / 1e6 });
    expect(selectUsageLine(usage, { ...request, gatewayKind: "managed" }, prices).cost).toBeCloseTo((10 * 5 + 1000 * 40) / 1e6, 12);
    const split = selectUsageLine({ ...usage, input_tokens_details: { image_tokens: 4 } }, { ...request, model: "unknown" }, prices);
    expect(split).toEqual({ input: 10, output: 1000, detail: { text: 0, image: 4 } });
  });

  it("estimates on the gateway the status line shows, with the custom endpoint's partials only when it streams", () => {
    const draft = { model: "gpt-image-1", size: "1024x1024", quality: "low", images: 2 };
    expect(selectEstimate(draft, managed, { streamPartials: true, partialImages: 3 }, prices)).toBeCloseTo(estimateOf({ ...draft })!, 12);
    expect(selectEstimate(draft, custom, noStream, prices)).toBeCloseTo(estimateOf({ ...draft, custom: true }, prices)!, 12);
    expect(selectEstimate(draft, custom, { streamPartials: true, partialImages: 3 }, prices)).toBeCloseTo(estimateOf({ ...draft, custom: true, partials: 3 }, prices)!, 12);
    expect(selectEstimate({ ...draft, images: 0 }, managed, noStream, prices)).toBeUndefined();
    expect(selectEstimate({ ...draft, images: 1.5 }, managed, noStream, prices)).toBeUndefined();
  });
});

describe("usage totals with the clock given", () => {
  const at = (day: number, hour: number) => new Date(2026, 11, day, hour).getTime();
  const record = (createdAt: number, patch: object = {}) => ({ model: "gpt-image-1", size: "1024x1024", images: 1, usage, createdAt, ...patch });

  it("counts the local day of the clock's now, and the session since it started", () => {
    const records = [record(at(7, 9)), record(at(7, 15), { gatewayKind: "custom" }), record(at(6, 23))];
    const totals = selectUsageTotals(records, prices, { now: at(7, 18), sessionStart: at(7, 12) });
    expect(totals?.day).toMatchObject({ tokens: 2020, count: 2 });
    expect(totals?.day.cost).toBeCloseTo((10 * 5 + 1000 * 40) / 1e6 + (10 * 1 + 1000 * 3) / 1e6, 12);
    expect(totals?.session).toMatchObject({ tokens: 1010, count: 1 });
    // The next morning by the same clock: yesterday's requests are no longer today's.
    expect(selectUsageTotals(records, prices, { now: at(8, 8), sessionStart: at(7, 12) })).toBeUndefined();
    expect(selectUsageTotals(records, prices, { now: at(6, 23), sessionStart: at(6, 0) })?.day).toMatchObject({ tokens: 1010 });
  });

  it("says nothing on a day nothing was used or priced", () => {
    expect(selectUsageTotals([record(at(7, 9), { usage: undefined, model: "unknown" })], prices, { now: at(7, 10), sessionStart: 0 })).toBeUndefined();
    expect(selectUsageTotals([], prices, { now: at(7, 10), sessionStart: 0 })).toBeUndefined();
  });
});
