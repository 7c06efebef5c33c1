import { describe, expect, it } from "vitest";
import { canPutBack, recordedResult, reuseFill, reuseGatewayMode, selectGalleryItems, selectRecordItems, selectResultGroups, type RequestView, type ResultGroup } from "../../machines/views.ts";

const blobA = new Blob(["a"], { type: "image/png" });
const blobB = new Blob(["b"], { type: "image/png" });
const urls = new Map<Blob, string>([[blobA, "blob:a"], [blobB, "blob:b"]]);
const blobC = new Blob(["c"], { type: "image/png" });
urls.set(blobC, "blob:c");
const imageUrl = (source: Blob | string) => (typeof source === "string" ? source : urls.get(source)!);

const record = {
  id: "req-000000000001",
  createdAt: 100,
  prompt: "a red fox",
  n: 3,
  status: "succeeded",
  model: "gpt-image-1",
  size: "1024x1024",
  quality: "high",
  gatewayLabelKey: "custom" as const,
  gatewayKind: "custom" as const,
  usage: { input_tokens: 1, output_tokens: 2 },
  operation: "edit" as const,
  outputFormat: "png",
  images: [blobA, blobB],
  remoteUrls: ["https://cdn.example/c.png"],
  references: [{ name: "ref.png", type: "image/png", blob: blobA }],
  mask: { name: "ref-mask.png", type: "image/png", blob: blobB },
};

describe("history records as results and viewer items", () => {
  it("shows a recorded request's Blobs then its remote images, keeping the gateway it went out on", () => {
    const result = recordedResult(record);
    // The Blobs themselves, never an address or a copy: the panel holds each image once.
    expect(result).toMatchObject({ id: record.id, count: 3, gatewayKind: "custom", gatewayLabelKey: "custom", images: [{ src: blobA }, { src: blobB }, { src: "https://cdn.example/c.png" }] });
    const [group] = selectResultGroups([], [result]);
    expect(group).toMatchObject({ recorded: true, gatewayKind: "custom", placeholders: [] });
  });

  it("numbers every image of every group for the viewer, with its bytes, its request for Reuse settings and usage priced by its gateway", () => {
    const live: RequestView = {
      id: "req-000000000002", phase: "succeeded", final: true, tone: "ok", retryable: true, phases: [], attempt: 1, maxAttempts: 3, createdAt: 200, elapsedMs: 1,
      operation: "generate", model: "dall-e-3", size: "1024x1024", count: 1, promptPreview: "a boat", gateway: { kind: "managed", labelKey: "managed" },
      outputs: [{ src: blobC, revisedPrompt: "a small boat" }], attemptFailures: [], timeline: [],
    };
    const groups: ResultGroup[] = selectResultGroups([live], [recordedResult(record)]);
    const { items, first } = selectGalleryItems(groups, imageUrl);
    expect(first).toEqual([0, 1]);
    expect(items.map((item) => item.key)).toEqual(["req-000000000002:0", `${record.id}:0`, `${record.id}:1`, `${record.id}:2`]);
    expect(items[0]).toMatchObject({ alt: "a small boat", stem: "image-00000002-0", details: { revisedPrompt: "a small boat", model: "dall-e-3" }, requestId: "req-000000000002" });
    expect(items[1]!.requestId).toBe(record.id);
    expect(items.map(({ src, blob }) => ({ src, blob }))).toEqual([
      { src: "blob:c", blob: blobC },
      { src: "blob:a", blob: blobA },
      { src: "blob:b", blob: blobB },
      { src: "https://cdn.example/c.png", blob: undefined },
    ]);
    expect(items[3]!.blob).toBeUndefined();
    expect(items[1]!.alt).toBeUndefined();
    expect(items[1]!.details?.usage).toEqual({ usage: record.usage, request: { model: "gpt-image-1", size: "1024x1024", quality: "high", images: 3, gatewayKind: "custom", gatewayLabelKey: "custom" } });
  });

  it("opens a history row's images with its prompt as their text, each naming its request", () => {
    const items = selectRecordItems(record, imageUrl);
    expect(items.map(({ src, blob, alt }) => ({ src, blob, alt }))).toEqual([
      { src: "blob:a", blob: blobA, alt: "a red fox" },
      { src: "blob:b", blob: blobB, alt: "a red fox" },
      { src: "https://cdn.example/c.png", blob: undefined, alt: "a red fox" },
    ]);
    expect(items.map((item) => item.requestId)).toEqual([record.id, record.id, record.id]);
    expect(items[0]!.details).toMatchObject({ outputFormat: "png", quality: "high", size: "1024x1024" });
  });
});

describe("reusing a request's settings", () => {
  it("restores every field it was sent with, an edit's references and mask, and its gateway", () => {
    const edit = { ...record, background: "opaque", inputFidelity: "high" };
    expect(reuseFill(edit)).toEqual({
      mode: "edit", prompt: "a red fox", model: "gpt-image-1", size: "1024x1024", n: 3, quality: "high", outputFormat: "png", background: "opaque", inputFidelity: "high",
      references: { images: record.references, mask: record.mask }, gateway: { kind: "custom" },
    });
    const generation = reuseFill({ ...edit, operation: "generate", mask: undefined, quality: undefined });
    expect(generation.references).toBeUndefined();
    // Options it went without come back as the model's default, and generations take no input fidelity.
    expect(generation).toMatchObject({ mode: "generate", n: 3, quality: undefined, inputFidelity: undefined });
    expect("quality" in generation).toBe(true);
    // A record from before the gateway kind was kept still names its gateway by its label; the endpoint it carried goes with it.
    expect(reuseFill({ ...record, gatewayKind: undefined, gatewayLabelKey: "cloud", endpoint: { baseUrl: "https://api.example/v1" } }).gateway).toEqual({ kind: "managed", endpoint: { baseUrl: "https://api.example/v1" } });
    expect(reuseFill({ ...record, gatewayKind: undefined, gatewayLabelKey: undefined }).gateway).toBeUndefined();
  });

  it("restores a seed and a negative prompt, and clears the composer's when the request had none", () => {
    expect(reuseFill({ ...record, seed: 7, negativePrompt: "blur" })).toMatchObject({ seed: 7, negativePrompt: "blur" });
    const without = reuseFill(record);
    expect("seed" in without && "negativePrompt" in without).toBe(true);
    expect(without).toMatchObject({ seed: undefined, negativePrompt: undefined });
  });

  it("switches the gateway only when another one is in use, never to Auto", () => {
    expect(reuseGatewayMode({ gateway: { kind: "custom" } }, "custom")).toBeUndefined();
    expect(reuseGatewayMode({ gateway: { kind: "managed" } }, "cloud")).toBeUndefined();
    expect(reuseGatewayMode({ gateway: { kind: "managed" } }, "managed")).toBeUndefined();
    expect(reuseGatewayMode({ gateway: { kind: "managed" } }, "custom")).toBe("cloud");
    expect(reuseGatewayMode({ gateway: { kind: "custom" } }, "mock")).toBe("custom");
    expect(reuseGatewayMode({ gateway: { kind: "mock" } }, undefined)).toBe("mock");
    expect(reuseGatewayMode({}, "custom")).toBeUndefined();
  });

  it("is offered for every request that no longer runs", () => {
    expect(canPutBack({ status: "running" })).toBe(false);
    for (const status of ["succeeded", "failed", "interrupted", "notSent"]) expect(canPutBack({ status })).toBe(true);
  });
});
