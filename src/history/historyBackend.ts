import type { HistoryRecord } from "./historyRecord.ts";

/** Where history lives. IndexedDB in the panel; an in-memory twin for tests and hosts without it. */
export interface HistoryBackend {
  loadAll(): Promise<HistoryRecord[]>;
  put(record: HistoryRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /** Releases the connection; later calls reject. */
  close(): void;
}

const STORE = "requests";

export function indexedDbHistory(factory: IDBFactory, name = "hfmig-history"): HistoryBackend {
  let closed = false;
  let connection: Promise<IDBDatabase> | undefined;
  const open = () =>
    (connection ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => {
        // Unmounted while opening: close at once so no connection outlives the panel.
        if (closed) {
          request.result.close();
          reject(new Error("history closed"));
        } else resolve(request.result);
      };
      request.onerror = () => reject(request.error ?? new Error("IndexedDB open failed"));
    }));

  async function run<T>(mode: IDBTransactionMode, operation: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    if (closed) throw new Error("history closed");
    const database = await open();
    return new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = operation(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      // A QuotaExceededError surfaces here, as the transaction's error.
      transaction.onabort = transaction.onerror = () => reject(transaction.error ?? request.error ?? new Error("IndexedDB failed"));
    });
  }

  return {
    loadAll: () => run("readonly", (store) => store.getAll() as IDBRequest<HistoryRecord[]>),
    put: async (record) => void (await run("readwrite", (store) => store.put(record))),
    remove: async (id) => void (await run("readwrite", (store) => store.delete(id))),
    close: () => {
      closed = true;
      void connection?.then((database) => database.close(), () => undefined);
    },
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
