import { describe, expect, it } from "vitest";
import { matchRecoveredOutputs, RECOVERY_WINDOW_MS } from "../../machines/rules/recovery.ts";

const request = (id: string, createdAt: number, model = "gpt-image-1", n = 1) => ({ id, createdAt, model, n });
const output = (url: string, createdAt?: number, model: string | null = "gpt-image-1") => ({ url, ...(createdAt !== undefined ? { createdAt } : {}), ...(model ? { model } : {}) });

describe("reload recovery from the saved-output listing", () => {
  it("matches outputs by time window and model, at most n each, never one twice", () => {
    const interrupted = [request("a", 10_000, "gpt-image-1", 2)];
    const outputs = [
      output("https://g/early", 1_000),
      output("https://g/1", 12_000),
      output("https://g/2", 12_000),
      output("https://g/3", 13_000),
      output("https://g/other-model", 12_000, "dall-e-3"),
      output("https://g/late", 10_000 + RECOVERY_WINDOW_MS + 1),
      output("https://g/untimed"),
    ];
    expect(matchRecoveredOutputs(interrupted, outputs, interrupted)).toEqual([{ id: "a", urls: ["https://g/1", "https://g/2"], certainty: "matched" }]);
  });

  it("says the match is uncertain when another request of the model ran in the window, or the listing names no model", () => {
    const interrupted = [request("a", 10_000), request("b", 20_000)];
    const outputs = [output("https://g/1", 15_000), output("https://g/2", 25_000)];
    expect(matchRecoveredOutputs(interrupted, outputs, interrupted)).toEqual([
      { id: "a", urls: ["https://g/1"], certainty: "uncertain" },
      { id: "b", urls: ["https://g/2"], certainty: "uncertain" },
    ]);
    const alone = [request("c", 10_000)];
    expect(matchRecoveredOutputs(alone, [output("https://g/x", 11_000, null)], alone)).toEqual([{ id: "c", urls: ["https://g/x"], certainty: "uncertain" }]);
  });

  it("finds nothing where nothing fits: the request stays honestly interrupted", () => {
    const alone = [request("a", 10_000)];
    expect(matchRecoveredOutputs(alone, [output("https://g/1", 1_000)], alone)).toEqual([]);
  });
});
