import { openIdbStore } from "../persistence/idbStore.ts";
import type { HistoryRecord } from "./historyRecord.ts";

/** Where history lives. IndexedDB in the panel; an in-memory twin for tests and hosts without it. */
export interface HistoryBackend {
  loadAll(): Promise<HistoryRecord[]>;
  put(record: HistoryRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /** Releases the connection; later calls reject. */
  close(): void;
}

export function indexedDbHistory(factory: IDBFactory, name = "hfmig-history"): HistoryBackend {
  const store = openIdbStore(factory, name, "requests", "id");
  return {
    loadAll: () => store.run("readonly", (requests) => requests.getAll() as IDBRequest<HistoryRecord[]>),
    put: async (record) => void (await store.run("readwrite", (requests) => requests.put(record))),
    remove: async (id) => void (await store.run("readwrite", (requests) => requests.delete(id))),
    close: () => store.close(),
  };
}

/** The backend `open` makes, opened once `ready` settles (after the first paint): every call waits for it. */
export function historyWhen(ready: Promise<void>, open: () => HistoryBackend): HistoryBackend {
  const backend = ready.then(open);
  return {
    loadAll: () => backend.then((opened) => opened.loadAll()),
    put: (record) => backend.then((opened) => opened.put(record)),
    remove: (id) => backend.then((opened) => opened.remove(id)),
    close: () => void backend.then((opened) => opened.close()),
  };
}

export function memoryHistory(initial: HistoryRecord[] = []): HistoryBackend & { records: Map<string, HistoryRecord> } {
  const records = new Map(initial.map((record) => [record.id, record]));
  return {
    records,
    loadAll: async () => [...records.values()],
    put: async (record) => void records.set(record.id, record),
    remove: async (id) => void records.delete(id),
    close: () => undefined,
  };
}

export const isQuotaError = (error: unknown) =>
  error instanceof Error && (error.name === "QuotaExceededError" || /quota/i.test(error.message));
