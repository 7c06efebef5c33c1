import { defineStore } from "pinia";
import { computed, onScopeDispose, ref, shallowRef } from "vue";
import { endedNotBilled, historyTone, matchRecoveredOutputs, type GatewayKind, type ListedOutput, type RequestInput, type RequestView, type Tone } from "../../machines/index.ts";
import { usePanelEnvironment } from "../app/panelEnvironment.ts";
import { isQuotaError } from "../history/historyBackend.ts";
import { storageFullMarks } from "../history/storageFullMarks.ts";
import type { ImportProblem } from "../history/zipImport.ts";
import { createHeldImages } from "../images/heldImages.ts";
import { isHistoryRecord, recordFromInput, settleAfterReload, withoutImages, type HistoryRecord } from "../history/historyRecord.ts";

export type StorageProblem = "quota" | "unavailable" | "failed" | "skipped";
/** What an import did: counts, or why the ZIP was not read. */
export type ImportReport = { ok: true; added: number; skipped: number; refused: number } | { ok: false; problem: ImportProblem };

// A batch's requests share their time: the later in the batch is the newer.
const newestFirst = (a: HistoryRecord, b: HistoryRecord) => b.createdAt - a.createdAt || (b.batchIndex ?? 0) - (a.batchIndex ?? 0);
const INPUT_FIELDS = ["operation", "prompt", "model", "size", "n", "quality"] as const;
const sameInput = (a: HistoryRecord, b: HistoryRecord) => INPUT_FIELDS.every((field) => a[field] === b[field]);

/** Every request of this and earlier sessions, newest first; images kept as Blobs in IndexedDB. */
export const useHistoryStore = defineStore("history", () => {
  const environment = usePanelEnvironment();
  const backend = environment.historyBackend();
  // Where a refused image write is noted for the next load.
  const marks = storageFullMarks(environment.storage);
  let disposed = false;

  const records = shallowRef<HistoryRecord[]>([]);
  const loaded = ref(false);
  const problem = ref<StorageProblem>();
  const query = ref("");
  const favouritesOnly = ref(false);
  /** Rows of one tone only (ok: succeeded, warn: partial or cancelled, bad: failed), or all. */
  const toneFilter = ref<"all" | Tone>("all");
  /** What the last delete took (one row, or every selected one), for its undo. */
  const lastDeleted = shallowRef<HistoryRecord[]>();
  /** Records storage refused even without their images (they live in this session only). */
  const notKept = ref(new Set<string>());

  const replace = (record: HistoryRecord) => {
    records.value = [record, ...records.value.filter((existing) => existing.id !== record.id)].sort(newestFirst);
  };
  const failed = (error: unknown) => {
    if (!disposed) problem.value = isQuotaError(error) ? "quota" : "failed";
  };
  // A record whose images storage refused is stored without them: its status, usage and input
  // still land. This session keeps the images in memory and offers to download them.
  const save = (record: HistoryRecord): Promise<void> => backend.put(withoutImages(record)).then(() => undefined, failed);

  /**
   * A request's result images, written after the record without them (marked "unconfirmed" until
   * they land): storage that cannot take the images, or a panel closed meanwhile, still keeps the
   * record, its status and usage. Storage refusing them is noted for the next load to say so.
   */
  const saveResult = (record: HistoryRecord): Promise<void> => {
    if (record.images.length === 0) return save(record);
    const count = record.images.length;
    return backend
      .put(withoutImages({ ...record, imagesNotSaved: { count, reason: "unconfirmed" } }))
      .then(
        () => backend.put(record),
        (error: unknown) => {
          notKept.value.add(record.id);
          throw error;
        },
      )
      .then(
        () => undefined,
        (error: unknown) => {
          if (disposed) return;
          if (!isQuotaError(error)) return failed(error);
          const current = find(record.id);
          if (!current) return; // deleted meanwhile
          replace({ ...current, imagesNotSaved: { count, reason: "storageFull" } });
          if (notKept.value.has(record.id)) failed(error);
          else marks.add(record.id);
        },
      );
  };
  /** A record whose images storage refused last session says so now; the note goes once it is stored so. */
  const withReason = (record: HistoryRecord): HistoryRecord =>
    record.imagesNotSaved?.reason === "unconfirmed" && marks.has(record.id) ? { ...record, imagesNotSaved: { ...record.imagesNotSaved, reason: "storageFull" } } : record;
  const storeSettled = (record: HistoryRecord) =>
    backend.put(withoutImages(record)).then(() => {
      if (record.imagesNotSaved?.reason === "storageFull") marks.remove(record.id);
    }, failed);

  void backend.loadAll().then(
    (stored) => {
      if (disposed) return;
      const known = new Set(records.value.map((record) => record.id));
      // Unreadable records stay in storage untouched but are not shown: one broken record must not blank the list.
      const readable = stored.filter(isHistoryRecord);
      if (readable.length < stored.length) problem.value = "skipped";
      const settled = readable.filter((record) => !known.has(record.id)).map((record) => {
        const next = settleAfterReload(withReason(record));
        if (next !== record) void storeSettled(next);
        return next;
      });
      records.value = [...records.value, ...settled].sort(newestFirst);
      loaded.value = true;
    },
    () => {
      if (disposed) return;
      problem.value = "unavailable";
      loaded.value = true;
    },
  );

  const visible = computed(() => {
    const needle = query.value.trim().toLowerCase();
    return records.value.filter(
      (record) =>
        (!favouritesOnly.value || record.favourite) &&
        (!batchFilter.value || record.batchId === batchFilter.value) &&
        (toneFilter.value === "all" || historyTone(record.status, record.resolvedBy, record.recovered) === toneFilter.value) &&
        (!needle || record.prompt.toLowerCase().includes(needle)),
    );
  });

  const find = (id: string) => records.value.find((record) => record.id === id);
  const patch = (id: string, change: Partial<HistoryRecord>, write = save) => {
    const record = find(id);
    if (!record) return;
    const next = { ...record, ...change };
    replace(next);
    void write(next);
  };

  const add = (record: HistoryRecord) => {
    replace(record);
    void save(record);
  };
  /** A request the panel's core accepted, with its validated input. */
  const accept = (id: string, createdAt: number, input: RequestInput, batch?: { id: string; index: number; kind?: "batch" | "compare" }) => add(recordFromInput(id, createdAt, input, batch));
  /** The user kept this result of its compare: it is marked, the batch's others are not. */
  const keep = (id: string, batchId: string) => {
    for (const record of records.value) if (record.batchId === batchId && Boolean(record.kept) !== (record.id === id)) patch(record.id, { kept: record.id === id });
  };
  /** Rows of one batch only, or all. */
  const batchFilter = ref<string>();

  /** A request that ended: its final state and its images (the very Blobs the request holds: no copy). */
  const settle = (view: RequestView) => {
    const images: Blob[] = [];
    const remoteUrls: string[] = [];
    for (const { src } of view.outputs) {
      if (typeof src === "string") remoteUrls.push(src);
      else images.push(src);
    }
    const afterCancel = view.outputs.filter((output) => output.afterCancel).length;
    patch(view.id, {
      status: view.phase,
      elapsedMs: view.elapsedMs,
      images,
      remoteUrls,
      ...(afterCancel ? { afterCancel } : {}),
      ...(view.usage ? { usage: view.usage } : {}),
      ...(view.gateway ? { gatewayLabelKey: view.gateway.labelKey } : {}),
      ...(view.profileName ? { profileName: view.profileName } : {}),
      ...(view.profileId ? { profileId: view.profileId } : {}),
      ...(view.error && view.phase !== "cancelled"
        ? { errorSummary: view.error.summary, ...(view.error.sentence ? { errorSentence: view.error.sentence } : {}), ...(view.error.detail ? { errorDetail: view.error.detail } : {}) }
        : {}),
      ...(endedNotBilled(view) ? { notBilled: true } : {}),
    }, saveResult);
    // A success of the same input (a retry from history or the card) resolves what was interrupted.
    const done = find(view.id);
    if (view.phase !== "succeeded" || !done) return;
    for (const record of records.value) {
      if ((record.status === "interrupted" || record.status === "notSent") && !record.resolvedBy && record.createdAt < done.createdAt && sameInput(record, done)) patch(record.id, { resolvedBy: done.id });
    }
  };

  /** The request's call went out on `kind` at `at` (the first time is kept). */
  const markSent = (id: string, kind: GatewayKind, at: number) => {
    const record = find(id);
    if (record && record.gatewayKind !== kind) patch(id, { gatewayKind: kind, ...(record.sentAt === undefined ? { sentAt: at } : {}) });
  };

  /**
   * Requests a reload cut off on the managed gateway get the images the gateway saved for them,
   * matched by model, size, count and send time (marked uncertain where another request could have made them).
   */
  const recover = (outputs: readonly ListedOutput[]) => {
    const interrupted = records.value.filter(
      (record) => record.status === "interrupted" && record.gatewayKind === "managed" && !record.recovered && record.images.length === 0 && record.remoteUrls.length === 0,
    );
    if (interrupted.length === 0) return;
    for (const match of matchRecoveredOutputs(interrupted, outputs, records.value)) patch(match.id, { remoteUrls: match.urls, recovered: match.certainty });
  };

  const toggleFavourite = (id: string) => patch(id, { favourite: !find(id)?.favourite });
  /** Favourites every one of `ids`, or, when all of them already are, none of them. */
  const favouriteAll = (ids: readonly string[]) => {
    const favourite = !ids.every((id) => find(id)?.favourite);
    for (const id of ids) if (find(id)?.favourite !== favourite) patch(id, { favourite });
  };

  const remove = (...ids: string[]) => {
    const removed = records.value.filter((record) => ids.includes(record.id));
    if (!removed.length) return;
    records.value = records.value.filter((record) => !ids.includes(record.id));
    lastDeleted.value = removed;
    for (const record of removed)
      backend.remove(record.id).catch(() => {
        if (!disposed) problem.value = "failed";
      });
  };
  const undoRemove = () => {
    for (const record of lastDeleted.value ?? []) add(record);
    lastDeleted.value = undefined;
  };
  const dismissProblem = () => (problem.value = undefined);

  /** The ZIP of the records of `ids` (every record when absent), for the user to keep or move. */
  const exportZip = async (ids?: readonly string[]) => {
    const { buildHistoryZip } = await import("../history/zipExport.ts");
    return buildHistoryZip(ids ? records.value.filter((record) => ids.includes(record.id)) : records.value, environment.now());
  };

  /**
   * Reads a history ZIP and adds what is new: a record already here (the same id, or the same
   * content hash: input and image bytes) is skipped, never overwritten. Answers what was added,
   * skipped and refused, or why the ZIP was not read (history untouched).
   */
  const importZip = async (bytes: Uint8Array): Promise<ImportReport> => {
    const [{ readHistoryZip }, { bytesOf, contentHash }] = await Promise.all([import("../history/zipImport.ts"), import("../history/zipFormat.ts")]);
    const read = await readHistoryZip(bytes);
    if (!read.ok) return read;
    // Only a record made at the same moment can hash the same: hash just those.
    const times = new Set(read.records.map(({ record }) => record.createdAt));
    const hashes = new Set(await Promise.all(records.value.filter((record) => times.has(record.createdAt)).map(async (record) => contentHash(record, await Promise.all(record.images.map(bytesOf))))));
    let added = 0;
    let skipped = 0;
    for (const { record, contentHash: hash } of read.records) {
      if (find(record.id) || hashes.has(hash)) {
        skipped += 1;
        continue;
      }
      hashes.add(hash);
      replace(record);
      void saveResult(record);
      added += 1;
    }
    return { ok: true, added, skipped, refused: read.refused };
  };

  /** This session's records whose images storage refused, until the user downloaded them. */
  const downloaded = ref(new Set<string>());
  const unsaved = computed(() => records.value.filter((record) => record.imagesNotSaved && record.images.length > 0 && !downloaded.value.has(record.id)));
  const markDownloaded = (id: string) => void downloaded.value.add(id);

  // The panel's images: object URLs and thumbnails made on first use, all released with the panel.
  const held = createHeldImages({ objectUrls: environment.objectUrls });

  onScopeDispose(() => {
    disposed = true;
    held.dispose();
    backend.close();
  });

  return { records, visible, loaded, problem, query, favouritesOnly, toneFilter, batchFilter, lastDeleted, exportZip, importZip, accept, keep, markSent, recover, settle, toggleFavourite, favouriteAll, remove, undoRemove, dismissProblem, unsaved, notKept, markDownloaded, imageUrl: held.url, thumbnailUrl: held.thumbnail, blobAt: held.blobAt, find };
});
