import * as z from "zod/mini";

/**
 * Requests whose images a full storage refused, noted in localStorage. After refusing a write,
 * IndexedDB counts the refused bytes against the quota until the panel's connections are gone, so
 * the history record cannot say "storage full" itself until the next load; this note carries it there.
 */
export interface StorageFullMarks {
  add(id: string): void;
  has(id: string): boolean;
  remove(id: string): void;
}

const KEY = "hfmig.storageFull.v1";
// Built on first use (z.lazy), not at the panel's evaluation.
const IdsSchema = z.lazy(() => z.array(z.string()));

export function storageFullMarks(storage: Pick<Storage, "getItem" | "setItem"> | undefined): StorageFullMarks {
  const read = (): string[] => {
    try {
      const parsed = IdsSchema.safeParse(JSON.parse(storage?.getItem(KEY) ?? "[]"));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  };
  // A refused or missing localStorage only costs the reason: the record still says its images were not saved.
  const write = (ids: string[]) => {
    try {
      storage?.setItem(KEY, JSON.stringify(ids));
    } catch {
      /* nothing else to keep it in */
    }
  };
  return {
    add: (id) => write([...new Set([...read(), id])]),
    has: (id) => read().includes(id),
    remove: (id) => write(read().filter((known) => known !== id)),
  };
}
