import { describe, expect, it } from "vitest";
import { matchRecoveredOutputs, RECOVERY_WINDOW_MS, type KnownRequest } from "../../machines/rules/recovery.ts";

const request = (id: string, sentAt: number, { model = "gpt-image-1", n = 1, size = "1024x1024" } = {}) => ({ id, createdAt: sentAt - 500, sentAt, model, n, size });
const interrupted = (id: string, sentAt: number, options: Parameters<typeof request>[2] = {}): KnownRequest => ({ ...request(id, sentAt, options), status: "interrupted", gatewayKind: "managed" });
const output = (url: string, createdAt?: number, { model = "gpt-image-1" as string | null, size }: { model?: string | null; size?: string } = {}) => ({
  url,
  ...(createdAt !== undefined ? { createdAt } : {}),
  ...(model ? { model } : {}),
  ...(size ? { size } : {}),
});

describe("reload recovery from the saved-output listing", () => {
  it("matches outputs by send time, model and count, at most n each, never one twice", () => {
    const cut = [interrupted("a", 10_000, { n: 2 })];
    const outputs = [
      output("https://g/early", 1_000),
      output("https://g/1", 18_000),
      output("https://g/2", 18_000),
      output("https://g/3", 40_000),
      output("https://g/other-model", 18_000, { model: "dall-e-3" }),
      output("https://g/late", 10_000 + RECOVERY_WINDOW_MS + 1),
      output("https://g/untimed"),
    ];
    expect(matchRecoveredOutputs(cut, outputs, cut)).toEqual([{ id: "a", urls: ["https://g/1", "https://g/2"], certainty: "matched" }]);
  });

  it("is certain when the only other requests of the model could not have made the images", () => {
    const cut = interrupted("a", 100_000);
    const others: KnownRequest[] = [
      cut,
      // On the custom endpoint: nothing it makes is in the managed gateway's listing.
      { ...request("custom", 99_000), status: "interrupted", gatewayKind: "custom" },
      // Never sent: it was only queued.
      { ...request("queued", 99_500), status: "notSent" },
      // Sent, and ended (its images in hand) a minute before these were saved.
      { ...request("done", 50_000), status: "succeeded", gatewayKind: "managed", elapsedMs: 10_000 },
      // Another size or model.
      interrupted("big", 100_100, { size: "1536x1024" }),
      interrupted("dalle", 100_100, { model: "dall-e-3" }),
      // Sent after the images were saved.
      interrupted("later", 200_000),
    ];
    expect(matchRecoveredOutputs([cut], [output("https://g/1", 108_000)], others)).toEqual([{ id: "a", urls: ["https://g/1"], certainty: "matched" }]);
  });

  it("tells two cut-off requests of the model apart by their counts, and their answers by when they were saved", () => {
    const one = interrupted("one", 10_000, { n: 1 });
    const two = interrupted("two", 10_200, { n: 2 });
    const outputs = [output("https://g/two-a", 19_000), output("https://g/two-b", 19_000), output("https://g/one", 16_000)];
    expect(matchRecoveredOutputs([two, one], outputs, [one, two])).toEqual([
      { id: "one", urls: ["https://g/one"], certainty: "matched" },
      { id: "two", urls: ["https://g/two-a", "https://g/two-b"], certainty: "matched" },
    ]);
  });

  it("uses the size when the listing names it", () => {
    const square = interrupted("square", 10_000);
    const wide = interrupted("wide", 10_000, { size: "1536x1024" });
    const outputs = [output("https://g/wide", 15_000, { size: "1536x1024" }), output("https://g/square", 16_000, { size: "1024x1024" })];
    expect(matchRecoveredOutputs([square, wide], outputs, [square, wide])).toEqual([
      { id: "square", urls: ["https://g/square"], certainty: "matched" },
      { id: "wide", urls: ["https://g/wide"], certainty: "matched" },
    ]);
  });

  it("says uncertain when another request could have made the same images, the listing names no model, or an answer had to be cut", () => {
    // Two cut-off requests alike in model, size and count, sent together: either could own either answer.
    const a = interrupted("a", 10_000);
    const b = interrupted("b", 10_300);
    expect(matchRecoveredOutputs([a, b], [output("https://g/1", 15_000), output("https://g/2", 25_000)], [a, b])).toEqual([
      { id: "a", urls: ["https://g/1"], certainty: "uncertain" },
      { id: "b", urls: ["https://g/2"], certainty: "uncertain" },
    ]);
    // A request that ended while the panel was open, at the moment these were saved.
    const ended: KnownRequest = { ...request("ended", 9_000), status: "succeeded", gatewayKind: "managed", elapsedMs: 6_500 };
    expect(matchRecoveredOutputs([a], [output("https://g/3", 15_000)], [a, ended])).toEqual([{ id: "a", urls: ["https://g/3"], certainty: "uncertain" }]);
    // One sent after the reload and still running: its answer may already be saved.
    const running: KnownRequest = { ...request("running", 12_000), status: "running", gatewayKind: "managed" };
    expect(matchRecoveredOutputs([a], [output("https://g/4", 15_000)], [a, running])).toEqual([{ id: "a", urls: ["https://g/4"], certainty: "uncertain" }]);
    expect(matchRecoveredOutputs([a], [output("https://g/x", 11_000, { model: null })], [a])).toEqual([{ id: "a", urls: ["https://g/x"], certainty: "uncertain" }]);
    expect(matchRecoveredOutputs([a], [output("https://g/y", 11_000), output("https://g/z", 11_000)], [a])).toEqual([{ id: "a", urls: ["https://g/y"], certainty: "uncertain" }]);
  });

  it("reads a record from before the send time was kept by its creation time", () => {
    const old = { id: "old", createdAt: 10_000, model: "gpt-image-1", size: "1024x1024", n: 1 };
    expect(matchRecoveredOutputs([old], [output("https://g/1", 14_000)], [{ ...old, status: "interrupted" }])).toEqual([{ id: "old", urls: ["https://g/1"], certainty: "matched" }]);
  });

  it("finds nothing where nothing fits: the request stays honestly interrupted", () => {
    const alone = [interrupted("a", 10_000)];
    expect(matchRecoveredOutputs(alone, [output("https://g/1", 1_000)], alone)).toEqual([]);
  });
});
