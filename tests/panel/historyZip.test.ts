// @vitest-environment jsdom
import { disposePinia } from "pinia";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { memoryHistory, type HistoryBackend } from "../../src/history/historyBackend.ts";
import { recordFromInput, type HistoryRecord } from "../../src/history/historyRecord.ts";
import { buildHistoryZip } from "../../src/history/zipExport.ts";
import { bytesOf, HISTORY_ZIP_FORMAT, ZIP_LIMITS } from "../../src/history/zipFormat.ts";
import { readHistoryZip } from "../../src/history/zipImport.ts";
import { useHistoryStore } from "../../src/stores/history.store.ts";
import { testApp, testEnvironment } from "./testEnvironment.ts";

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]);
const png = () => new Blob([PNG], { type: "image/png" });

const edit = (id: string, createdAt: number, patch: Partial<HistoryRecord> = {}): HistoryRecord => ({
  ...recordFromInput(id, createdAt, {
    operation: "edit",
    prompt: `mask the sky ${id}`,
    model: "gpt-image-1",
    size: "1024x1024",
    n: 2,
    quality: "high",
    outputFormat: "png",
    background: "opaque",
    inputFidelity: "high",
    images: [{ fileName: "ref.png", contentType: "image/png", blob: png() }],
    mask: { fileName: "ref-mask.png", contentType: "image/png", blob: png() },
  }),
  status: "succeeded",
  gatewayKind: "custom",
  gatewayLabelKey: "custom",
  elapsedMs: 1234,
  usage: { input_tokens: 10, output_tokens: 20 },
  echo: { size: "1024x1024", quality: "medium", seed: 7 },
  images: [png(), new Blob([JPEG], { type: "image/jpeg" })],
  ...patch,
});

function openStore(backend: HistoryBackend) {
  const app = testApp(testEnvironment({ historyBackend: () => backend, objectUrls: { create: () => "blob:x", revoke: () => undefined } }));
  const store = app.runWithContext(() => useHistoryStore());
  return { store, stop: () => disposePinia(app.config.globalProperties.$pinia) };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const bytes = async (blob: Blob) => [...(await bytesOf(blob))];
const comparable = async (record: HistoryRecord) => ({
  ...record,
  images: await Promise.all(record.images.map(async (blob) => [blob.type, await bytes(blob)])),
  references: await Promise.all(record.references.map(async (file) => [file.name, file.type, await bytes(file.blob)])),
  mask: record.mask && [record.mask.name, record.mask.type, await bytes(record.mask.blob)],
});

describe("history export and import", () => {
  it("exports records and their images, and imports them back identical; a second import adds nothing", async () => {
    const records = [edit("r1", 1_000), edit("r2", 2_000, { favourite: true, status: "failed", images: [], errorSentence: { key: "server", params: { status: 500 } }, errorDetail: "upstream said no", seed: 9_999_999_999, negativePrompt: "no text", profileName: "Studio relay", batchId: "cmp-1", batchIndex: 1, batchKind: "compare", kept: true, notBilled: true })];
    const built = await buildHistoryZip(records, 5_000);
    if (!built.ok) throw new Error(built.problem);
    expect(built.count).toBe(2);

    const { store, stop } = openStore(memoryHistory());
    await tick();
    expect(await store.importZip(built.bytes)).toEqual({ ok: true, added: 2, skipped: 0, refused: 0 });
    const back = [...store.records].sort((a, b) => a.createdAt - b.createdAt);
    expect(await Promise.all(back.map(comparable))).toEqual(await Promise.all(records.map(comparable)));
    // Merged by id and content hash: never overwritten, nothing doubled.
    expect(await store.importZip(built.bytes)).toEqual({ ok: true, added: 0, skipped: 2, refused: 0 });
    expect(store.records).toHaveLength(2);
    stop();
  });

  it("skips a record already here under another id by its content hash, and never overwrites one with the same id", async () => {
    const here = edit("r1", 1_000, { favourite: true });
    const { store, stop } = openStore(memoryHistory([here, edit("r2", 3_000, { prompt: "mine" })]));
    await tick();
    const built = await buildHistoryZip([edit("copy", 1_000, { favourite: true, prompt: here.prompt }), edit("r2", 3_000, { prompt: "theirs" }), edit("r3", 4_000)], 5_000);
    if (!built.ok) throw new Error(built.problem);
    expect(await store.importZip(built.bytes)).toEqual({ ok: true, added: 1, skipped: 2, refused: 0 });
    expect(store.find("r2")?.prompt).toBe("mine");
    expect(store.find("copy")).toBeUndefined();
    stop();
  });

  it("never writes a key or token: free text goes through the redaction", async () => {
    const built = await buildHistoryZip([edit("r1", 1_000, { prompt: "use sk-abcdefghijklmnop please", errorDetail: "Authorization: Bearer secret-token-1234", remoteUrls: ["https://cdn.example/a.png?sig=abc123"] })], 1);
    if (!built.ok) throw new Error(built.problem);
    const { unzipSync } = await import("fflate");
    const manifest = new TextDecoder().decode(unzipSync(built.bytes)["history.json"]);
    expect(manifest).not.toContain("sk-abcdefghijklmnop");
    expect(manifest).not.toContain("secret-token-1234");
    expect(manifest).not.toContain("abc123");
    expect(JSON.parse(manifest)).toMatchObject({ format: HISTORY_ZIP_FORMAT, version: 1, exportedAt: 1 });
  });

  it("refuses a ZIP that is not ours, is corrupt, is too large or is from a newer version, touching nothing", async () => {
    const { store, stop } = openStore(memoryHistory([edit("r1", 1_000)]));
    await tick();
    expect(await store.importZip(strToU8("just text"))).toEqual({ ok: false, problem: "notOurs" });
    expect(await store.importZip(zipSync({ "photo.png": PNG }))).toEqual({ ok: false, problem: "notOurs" });
    expect(await store.importZip(zipSync({ "history.json": strToU8(JSON.stringify({ format: "other" })) }))).toEqual({ ok: false, problem: "notOurs" });
    const good = await buildHistoryZip([edit("r9", 9_000)], 1);
    if (!good.ok) throw new Error(good.problem);
    expect(await store.importZip(good.bytes.slice(0, good.bytes.length - 40))).toEqual({ ok: false, problem: "corrupt" });
    expect(await store.importZip(zipSync({ "history.json": strToU8("{not json") }))).toEqual({ ok: false, problem: "corrupt" });
    expect(await store.importZip(zipSync({ "history.json": strToU8(JSON.stringify({ format: HISTORY_ZIP_FORMAT, version: 2, exportedAt: 1, records: [] })) }))).toEqual({ ok: false, problem: "newer" });
    // A small ZIP that unpacks past the limit (zeros compress to almost nothing), here with the limits scaled down.
    const limits = { zipBytes: 64 * 1024, unpackedBytes: 1024 * 1024, entries: 10 };
    const bomb = zipSync({ "history.json": strToU8("{}"), "images/big.png": new Uint8Array(limits.unpackedBytes + 1) });
    expect(bomb.length).toBeLessThan(limits.zipBytes);
    expect(await readHistoryZip(bomb, limits)).toEqual({ ok: false, problem: "tooLarge" });
    expect(await readHistoryZip(zipSync(Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`images/${index}.png`, PNG]))), limits)).toEqual({ ok: false, problem: "tooLarge" });
    expect(await readHistoryZip(new Uint8Array(ZIP_LIMITS.zipBytes + 1))).toEqual({ ok: false, problem: "tooLarge" });
    expect(store.records.map((record) => record.id)).toEqual(["r1"]);
    stop();
  });

  it("refuses a record whose images fail the image checks, and imports the rest", async () => {
    const built = await buildHistoryZip([edit("ok", 1_000), edit("bad", 2_000)], 1);
    if (!built.ok) throw new Error(built.problem);
    const { unzipSync } = await import("fflate");
    const files = unzipSync(built.bytes);
    const badImage = Object.keys(files).find((path) => path.startsWith("images/bad-0"))!;
    files[badImage] = strToU8("<script>alert(1)</script>");
    const { store, stop } = openStore(memoryHistory());
    await tick();
    expect(await store.importZip(zipSync(files))).toEqual({ ok: true, added: 1, skipped: 0, refused: 1 });
    expect(store.records.map((record) => record.id)).toEqual(["ok"]);
    stop();
  });

  it("refuses to export nothing", async () => {
    expect(await buildHistoryZip([], 1)).toEqual({ ok: false, problem: "empty" });
  });
});
