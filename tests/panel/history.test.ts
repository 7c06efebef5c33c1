// @vitest-environment jsdom
import { disposePinia } from "pinia";
import { describe, expect, it, vi } from "vitest";
import { memoryHistory, type HistoryBackend } from "../../src/history/historyBackend.ts";
import { blobToBase64, recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import { storageFullMarks } from "../../src/history/storageFullMarks.ts";
import { useHistoryStore } from "../../src/stores/history.store.ts";
import { testApp, testEnvironment } from "./testEnvironment.ts";
import { selectResultGroups, type RequestView } from "../../machines/index.ts";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const pngBlob = () => new Blob([Buffer.from(PNG, "base64")], { type: "image/png" });

const inputOf = (id: string) => ({ operation: "generate" as const, prompt: `prompt ${id}`, model: "gpt-image-1", size: "1024x1024", n: 1 });
const createdAtOf = (id: string) => Number(id.replace(/\D/g, "")) || 1;
const record = (id: string, patch: Partial<HistoryRecord> = {}): HistoryRecord => ({
  ...recordFromInput(id, createdAtOf(id), inputOf(id)),
  ...patch,
});
const accept = (store: ReturnType<typeof useHistoryStore>, id: string) => store.accept(id, createdAtOf(id), inputOf(id));

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function openStore(backend: HistoryBackend, storage?: Pick<Storage, "getItem" | "setItem">) {
  const app = testApp(testEnvironment({ historyBackend: () => backend, storage, objectUrls: { create: () => "blob:x", revoke: () => undefined } }));
  const store = app.runWithContext(() => useHistoryStore());
  return { store, stop: () => disposePinia(app.config.globalProperties.$pinia) };
}

const view = (id: string, patch: Partial<RequestView>): RequestView => ({
  id,
  phase: "succeeded",
  final: true,
  tone: "ok",
  retryable: true,
  phases: [],
  attempt: 1,
  maxAttempts: 3,
  createdAt: 1,
  elapsedMs: 10,
  outputs: [],
  attemptFailures: [],
  timeline: [],
  ...patch,
});

describe("the history store", () => {
  it("shows requests that were running when the panel closed as interrupted once sent, as not sent while queued, and saves that", async () => {
    const backend = memoryHistory([record("r1", { status: "requesting", gatewayKind: "custom" }), record("r2", { status: "succeeded" }), record("r3", { status: "queued" })]);
    const { store, stop } = openStore(backend);
    await tick();
    expect(store.records.map((item) => [item.id, item.status])).toEqual([
      ["r3", "notSent"],
      ["r2", "succeeded"],
      ["r1", "interrupted"],
    ]);
    expect(backend.records.get("r1")?.status).toBe("interrupted");
    expect(backend.records.get("r3")?.status).toBe("notSent");
    // Not sent is offered again, not a failure.
    store.toneFilter = "bad";
    expect(store.visible.map((item) => item.id)).toEqual(["r1"]);
    stop();
  });

  it("gives requests a reload cut off on the managed gateway the saved outputs that fit them, toned and shown in results as recovered", async () => {
    const backend = memoryHistory([
      record("r1", { status: "requesting", createdAt: 10_000, gatewayKind: "managed", sentAt: 10_100 }),
      record("r2", { status: "requesting", createdAt: 10_050, gatewayKind: "managed", sentAt: 10_200, n: 2 }),
      record("r3", { status: "queued", createdAt: 10_080 }),
    ]);
    const { store, stop } = openStore(backend);
    await tick();
    store.recover([
      { url: "https://g/two-a", model: "gpt-image-1", createdAt: 19_000 },
      { url: "https://g/two-b", model: "gpt-image-1", createdAt: 19_000 },
      { url: "https://g/one", model: "gpt-image-1", createdAt: 15_000 },
    ]);
    await tick();
    expect(store.records.map((item) => [item.id, item.status, item.remoteUrls, item.recovered])).toEqual([
      ["r3", "notSent", [], undefined],
      ["r2", "interrupted", ["https://g/two-a", "https://g/two-b"], "matched"],
      ["r1", "interrupted", ["https://g/one"], "matched"],
    ]);
    expect(backend.records.get("r1")?.recovered).toBe("matched");
    store.toneFilter = "ok";
    expect(store.visible.map((item) => item.id)).toEqual(["r2", "r1"]);
    const recorded = store.records.map((item) => ({ ...item, count: item.n, images: item.remoteUrls.map((src) => ({ src })) }));
    expect(selectResultGroups([], recorded).map((group) => [group.id, group.images.length])).toEqual([
      ["r2", 2],
      ["r1", 1],
    ]);
    // An uncertain match stays out of Results: they may be another request's images.
    const uncertain = recorded.map((item) => (item.id === "r1" ? { ...item, recovered: "uncertain" as const } : item));
    expect(selectResultGroups([], uncertain).map((group) => group.id)).toEqual(["r2"]);
    stop();
  });

  it("keeps when a request's call first went out", async () => {
    const backend = memoryHistory();
    const { store, stop } = openStore(backend);
    await tick();
    accept(store, "r1");
    store.markSent("r1", "managed", 5_000);
    store.markSent("r1", "managed", 6_000);
    await tick();
    expect(backend.records.get("r1")).toMatchObject({ gatewayKind: "managed", sentAt: 5_000 });
    stop();
  });

  it("keeps the request's own image Blobs (no copy, no base64) and the request's elapsed time", async () => {
    const backend = memoryHistory();
    const { store, stop } = openStore(backend);
    await tick();
    accept(store, "r1");
    const image = pngBlob();
    store.settle(view("r1", { outputs: [{ src: image }, { src: "https://cdn.example/a.png" }], gateway: { kind: "mock", labelKey: "mock" } }));
    await tick();
    const saved = backend.records.get("r1")!;
    expect(saved.images[0]).toBe(image);
    expect(await blobToBase64(saved.images[0]!)).toBe(PNG);
    expect(saved.remoteUrls).toEqual(["https://cdn.example/a.png"]);
    expect(saved.elapsedMs).toBe(10);
    // Once the images landed, the record no longer says they might not have.
    expect(saved.imagesNotSaved).toBeUndefined();
    expect(JSON.stringify(saved)).not.toContain(PNG);
    stop();
  });

  it("keeps what a failure was, as a sentence key and the provider's own words, apart from our summary", async () => {
    const backend = memoryHistory();
    const { store, stop } = openStore(backend);
    await tick();
    accept(store, "r1");
    const error = {
      code: "invalid_request",
      summary: "The endpoint rejected the request (HTTP 400): bad size",
      hint: "invalid_request" as const,
      hintText: "",
      mayHaveBeenBilled: false,
      sentence: { key: "invalid_request" as const },
      detail: "bad size",
    };
    store.settle(view("r1", { phase: "failed", tone: "bad", error }));
    await tick();
    expect(backend.records.get("r1")).toMatchObject({ errorSummary: error.summary, errorSentence: { key: "invalid_request" }, errorDetail: "bad size" });
    stop();
  });

  it("searches prompts, filters favourites, and undoes a delete", async () => {
    const backend = memoryHistory([record("r1"), record("r2"), record("r3", { prompt: "A Red Fox" })]);
    const { store, stop } = openStore(backend);
    await tick();
    store.query = "red fox";
    expect(store.visible.map((item) => item.id)).toEqual(["r3"]);
    store.query = "";
    store.toggleFavourite("r1");
    store.favouritesOnly = true;
    expect(store.visible.map((item) => item.id)).toEqual(["r1"]);
    store.favouritesOnly = false;

    store.remove("r2");
    await tick();
    expect(backend.records.has("r2")).toBe(false);
    expect(store.records).toHaveLength(2);
    store.undoRemove();
    await tick();
    expect(backend.records.has("r2")).toBe(true);
    expect(store.records.map((item) => item.id)).toEqual(["r3", "r2", "r1"]);
    stop();
  });

  it("marks an interrupted request resolved when a later request with the same input succeeds", async () => {
    const backend = memoryHistory([record("r1", { status: "requesting", prompt: "prompt r3", gatewayKind: "managed" }), record("r0", { status: "requesting", gatewayKind: "managed" })]);
    const { store, stop } = openStore(backend);
    await tick();
    accept(store, "r2");
    store.settle(view("r2", { phase: "failed" }));
    accept(store, "r4");
    store.settle(view("r4", {}));
    expect(store.find("r1")?.resolvedBy).toBeUndefined();
    accept(store, "r3");
    store.settle(view("r3", {}));
    await tick();
    expect(backend.records.get("r1")?.resolvedBy).toBe("r3");
    expect(store.find("r0")?.resolvedBy).toBeUndefined();
    store.toneFilter = "bad";
    expect(store.visible.map((item) => item.id)).toEqual(["r2", "r0"]);
    // Only an earlier interrupted request of the same input is resolved, once.
    expect(store.records.filter((item) => item.resolvedBy).map((item) => item.id)).toEqual(["r1"]);
    stop();
  });

  it("reports a full disk and loses nothing else", async () => {
    const backend = memoryHistory([record("r1")]);
    const quota = Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
    const full: HistoryBackend = { ...backend, put: async () => Promise.reject(quota) };
    const { store, stop } = openStore(full);
    await tick();
    accept(store, "r2");
    await tick();
    expect(store.problem).toBe("quota");
    expect(store.records.map((item) => item.id)).toEqual(["r2", "r1"]);
    expect(backend.records.has("r1")).toBe(true);
    stop();
  });

  it("keeps a request whose images storage refused, small, with its status, usage and how many images were not saved", async () => {
    const backend = memoryHistory();
    const quota = Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
    const puts: string[] = [];
    // Storage as full as a real quota: any record carrying result images is refused.
    const full: HistoryBackend = {
      ...backend,
      put: async (item) => {
        puts.push(item.images.length ? "images" : (item.imagesNotSaved?.reason ?? "record"));
        return item.images.length ? Promise.reject(quota) : backend.put(item);
      },
    };
    const local = new Map<string, string>();
    const storage: Pick<Storage, "getItem" | "setItem"> = { getItem: (key) => local.get(key) ?? null, setItem: (key, value) => void local.set(key, value) };
    const marks = storageFullMarks(storage);
    const first = openStore(full, storage);
    await tick();
    accept(first.store, "r1");
    const usage = { input_tokens: 100, output_tokens: 50, total_tokens: 150 };
    first.store.settle(view("r1", { outputs: [{ src: pngBlob() }, { src: pngBlob() }], usage }));
    // The record without its images lands first; why they are missing is noted for the next load.
    await vi.waitFor(() => expect(marks.has("r1")).toBe(true));
    expect(puts).toEqual(["record", "unconfirmed", "images"]);
    expect(backend.records.get("r1")).toMatchObject({ status: "succeeded", usage, images: [], imagesNotSaved: { count: 2, reason: "unconfirmed" } });
    // This session still holds the images, says why, offers them, and claims nothing else.
    expect(first.store.find("r1")).toMatchObject({ images: [expect.any(Blob), expect.any(Blob)], imagesNotSaved: { count: 2, reason: "storageFull" } });
    expect(first.store.unsaved.map((item) => item.id)).toEqual(["r1"]);
    expect(first.store.notKept.size).toBe(0);
    expect(first.store.problem).toBeUndefined();
    // Later changes store the record without its images directly.
    first.store.toggleFavourite("r1");
    await tick();
    expect(puts.slice(3)).toEqual(["storageFull"]);
    expect(backend.records.get("r1")?.favourite).toBe(true);
    first.store.markDownloaded("r1");
    expect(first.store.unsaved).toEqual([]);
    first.stop();

    backend.records.set("r1", { ...backend.records.get("r1")!, imagesNotSaved: { count: 2, reason: "unconfirmed" } });
    const second = openStore(backend, storage);
    await tick();
    expect(second.store.find("r1")).toMatchObject({ status: "succeeded", usage, images: [], imagesNotSaved: { count: 2, reason: "storageFull" } });
    expect(backend.records.get("r1")?.imagesNotSaved).toEqual({ count: 2, reason: "storageFull" });
    expect(marks.has("r1")).toBe(false);
    expect(second.store.unsaved).toEqual([]);
    second.stop();

    // Without the note (the panel closed before the images landed), the record only says they were not saved.
    backend.records.set("r2", { ...record("r2", { status: "succeeded" }), imagesNotSaved: { count: 1, reason: "unconfirmed" } });
    const third = openStore(backend, storage);
    await tick();
    expect(third.store.find("r2")?.imagesNotSaved).toEqual({ count: 1, reason: "unconfirmed" });
    third.stop();
  });

  it("says so when storage refuses even the record without its images", async () => {
    const quota = Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
    const full: HistoryBackend = { ...memoryHistory(), put: async () => Promise.reject(quota) };
    const { store, stop } = openStore(full);
    await tick();
    accept(store, "r1");
    store.settle(view("r1", { outputs: [{ src: pngBlob() }] }));
    await vi.waitFor(() => expect(store.notKept.has("r1")).toBe(true));
    expect(store.unsaved.map((item) => item.id)).toEqual(["r1"]);
    expect(store.problem).toBe("quota");
    stop();
  });

  it("closes its storage when the panel goes away", async () => {
    let closed = 0;
    const backend = { ...memoryHistory(), close: () => void (closed += 1) };
    const { stop } = openStore(backend);
    stop();
    expect(closed).toBe(1);
  });

  it("keeps an edit's references and mask as Blobs, byte for byte, to put it back in the composer", async () => {
    const input = {
      operation: "edit" as const,
      prompt: "make it blue",
      model: "gpt-image-1",
      size: "1024x1024",
      n: 2,
      images: [{ fileName: "a.png", contentType: "image/png", blob: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) }],
      mask: { fileName: "a-mask.png", contentType: "image/png", blob: new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }) },
    };
    const stored = recordFromInput("r9", 9, input)!;
    // The very Blobs the request carried: no copy through base64.
    expect(stored.references[0]!.blob).toBe(input.images[0]!.blob);
    expect(stored.mask!.blob).toBe(input.mask.blob);
    expect(stored.references.map((image) => [image.name, image.type])).toEqual([["a.png", "image/png"]]);
    expect(await blobToBase64(stored.references[0]!.blob)).toBe(PNG);
    expect(stored.mask?.name).toBe("a-mask.png");
    expect(await blobToBase64(stored.mask!.blob)).toBe(PNG);
  });

  it("keeps the seed and negative prompt a request was sent with, and nothing for one without", () => {
    const input = { operation: "generate" as const, prompt: "a fox", model: "Kwai-Kolors/Kolors", size: "1024x1024", n: 1 };
    expect(recordFromInput("r10", 10, { ...input, seed: 0, negativePrompt: "blur" })).toMatchObject({ seed: 0, negativePrompt: "blur" });
    const plain = recordFromInput("r11", 11, input);
    expect("seed" in plain || "negativePrompt" in plain).toBe(false);
  });
});
