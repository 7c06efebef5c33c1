import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { callMockGateway } from "../../src/adapters/mockGateway.ts";
import { encodePng } from "../../src/adapters/mockPng.ts";

describe("the development mock's images", () => {
  it("are real PNGs whose pixels decode back", () => {
    const bytes = Buffer.from(encodePng(4, (x, y) => [x * 10, y * 10, 7]), "base64");
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const idatLength = bytes.readUInt32BE(33);
    expect(bytes.subarray(37, 41).toString()).toBe("IDAT");
    const raw = inflateSync(bytes.subarray(41, 41 + idatLength));
    expect(raw).toHaveLength(4 * (4 * 3 + 1));
    expect([...raw.subarray(2 * 13 + 1 + 3, 2 * 13 + 1 + 6)]).toEqual([10, 20, 7]);
  });

  it("answer n PNGs, as Blobs", async () => {
    const events = await callMockGateway({ operation: "generate", prompt: "p", model: "gpt-image-1", size: "auto", n: 2 }, new AbortController().signal, 0);
    const outputs = events.flatMap((event) => (event.type === "gateway.output" ? [event.output.src] : []));
    expect(outputs).toHaveLength(2);
    for (const src of outputs) {
      expect(src).toBeInstanceOf(Blob);
      expect(Buffer.from(await (src as Blob).arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    }
  });
});
