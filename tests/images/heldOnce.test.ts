// @vitest-environment jsdom
// Each image is held once: the Blob made from the answer is the one the request machine keeps, its
// view shows, the viewer offers and history stores. No base64 string or data URL stays after arrival.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { definePlugin, registerPlugin } from "@haloforge/plugin-sdk";
import { callCustomEndpoint } from "../../src/adapters/customGateway.ts";
import { recordedResult, selectGalleryItems, selectRequestView, selectResultGroups, type EndpointDescription, type GatewayCallEvent, type RequestInput } from "../../machines/index.ts";
import { createBoundary, gatewayResolved, startRequest, validGenerate } from "../machines/support.ts";
import { TEST_ENDPOINT } from "../panel/testEndpoint.ts";

const PNG = Buffer.alloc(200_000, 7);
const B64 = PNG.toString("base64");
const input: RequestInput = { operation: "generate", prompt: "two herons", model: "gpt-image-1", size: "1536x1024", n: 2, outputFormat: "png" };
const config: EndpointDescription = TEST_ENDPOINT;

beforeEach(() => {
  registerPlugin("dev.haloforge.managed-image-gateway", definePlugin({}));
  mockIPC(() => ({ ok: true, requestId: "r-1", result: { data: [{ b64_json: B64 }, { b64_json: B64 }] } }));
});
afterEach(() => clearMocks());

/** Every string reachable from `value` (Blobs are opaque): what a kept base64 or data URL would be. */
function strings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === "string") return [value];
  if (!value || typeof value !== "object" || value instanceof Blob || seen.has(value)) return [];
  seen.add(value);
  return Object.values(value).flatMap((inner) => strings(inner, seen));
}

describe("an arriving image is held once, as a Blob", () => {
  it("is the same Blob in the answer's events, the request's context and view, the results and the viewer", async () => {
    const events = await callCustomEndpoint("r-1", input, config);
    const outputs = events.filter((event): event is Extract<GatewayCallEvent, { type: "gateway.output" }> => event.type === "gateway.output");
    expect(outputs.map((event) => event.output.src)).toEqual([expect.any(Blob), expect.any(Blob)]);

    const boundary = createBoundary();
    const actor = startRequest(boundary, validGenerate({ n: 2 }));
    actor.send({ type: "request.start" });
    await gatewayResolved(actor);
    for (const event of events) boundary.answer("req-1", event);
    const context = actor.getSnapshot().context;
    expect(context.outputs.map((output) => output.src)).toEqual(outputs.map((event) => event.output.src).map((blob) => expect.toSatisfy((held) => held === blob)));

    const view = selectRequestView(actor.getSnapshot(), boundary.now());
    const addresses = new Map<Blob, string>();
    const imageUrl = (source: Blob | string) => (typeof source === "string" ? source : addresses.get(source) ?? (addresses.set(source, `blob:panel/${addresses.size}`), `blob:panel/${addresses.size - 1}`));
    const { items } = selectGalleryItems(selectResultGroups([view], []), imageUrl);
    expect(items.map((item) => item.blob)).toEqual(context.outputs.map((output) => expect.toSatisfy((held) => held === output.src)));
    expect(items.map((item) => item.src)).toEqual(["blob:panel/0", "blob:panel/1"]);

    // Nothing anywhere holds the answer's text, a data URL or any string the size of an image.
    const kept = [...strings(context), ...strings(view), ...strings(items)];
    expect(kept.filter((text) => text.includes(B64.slice(0, 64)) || text.startsWith("data:") || text.length > 10_000)).toEqual([]);
  });

  it("is the same Blob history stores and the results read back", () => {
    const blob = new Blob([PNG], { type: "image/png" });
    const result = recordedResult({ id: "r-1", createdAt: 1, prompt: "p", n: 1, status: "succeeded", model: "gpt-image-1", size: "auto", images: [blob], remoteUrls: [] });
    expect(result.images[0]!.src).toBe(blob);
  });
});
