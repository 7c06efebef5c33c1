/**
 * One IndexedDB object store behind a connection opened on first use. `close()` is final: a
 * connection that finishes opening afterwards is closed at once, so none outlives the panel.
 */
export interface IdbStore {
  run<T>(mode: IDBTransactionMode, operation: (store: IDBObjectStore) => IDBRequest<T>): Promise<T>;
  close(): void;
}

export function openIdbStore(factory: IDBFactory, databaseName: string, storeName: string, keyPath: string): IdbStore {
  let closed = false;
  let connection: Promise<IDBDatabase> | undefined;
  const open = () =>
    (connection ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(databaseName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(storeName, { keyPath });
      request.onsuccess = () => {
        if (closed) {
          request.result.close();
          reject(new Error(`${databaseName} closed`));
        } else resolve(request.result);
      };
      request.onerror = () => reject(request.error ?? new Error("IndexedDB open failed"));
    }));

  return {
    async run(mode, operation) {
      if (closed) throw new Error(`${databaseName} closed`);
      const database = await open();
      return new Promise((resolve, reject) => {
        const transaction = database.transaction(storeName, mode);
        const request = operation(transaction.objectStore(storeName));
        transaction.oncomplete = () => resolve(request.result);
        // A QuotaExceededError surfaces here, as the transaction's error.
        transaction.onabort = transaction.onerror = () => reject(transaction.error ?? request.error ?? new Error("IndexedDB failed"));
      });
    },
    close() {
      closed = true;
      void connection?.then((database) => database.close(), () => undefined);
    },
  };
}
