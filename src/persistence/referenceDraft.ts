import { StoredImageSchema, type StoredImage } from "../history/historyRecord.ts";
import { openIdbStore } from "./idbStore.ts";

/** The edit's reference images and mask as the composer keeps them between sessions, as Blobs. */
export interface SavedReferences {
  images: StoredImage[];
  mask?: Blob;
}

/** Where the references draft lives: IndexedDB in the panel, memory in tests and hosts without it. */
export interface ReferenceDraftBackend {
  load(): Promise<SavedReferences | undefined>;
  save(references: SavedReferences): Promise<void>;
  close(): void;
}

const KEY = "current";
const isBlob = (value: unknown): value is Blob => value instanceof Blob;

/** Keeps what can still be used from a stored value; anything else (another version, a hand edit) is dropped. */
export function readSavedReferences(value: unknown): SavedReferences | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { images, mask } = value as { images?: unknown; mask?: unknown };
  if (!Array.isArray(images)) return undefined;
  const readable = images.filter((image): image is StoredImage => StoredImageSchema.safeParse(image).success);
  // The mask is painted on the first image: it is only meaningful while that image survived.
  const keepMask = isBlob(mask) && readable[0] === images[0];
  return { images: readable, ...(keepMask ? { mask } : {}) };
}

export function indexedDbReferenceDraft(factory: IDBFactory, name = "hfmig-draft"): ReferenceDraftBackend {
  const store = openIdbStore(factory, name, "references", "id");
  return {
    load: async () => readSavedReferences(await store.run("readonly", (references) => references.get(KEY))),
    save: async (saved) => void (await store.run("readwrite", (references) => references.put({ id: KEY, ...saved }))),
    close: () => store.close(),
  };
}

/** The backend `open` makes, opened once `ready` settles (after the first paint): every call waits for it. */
export function referenceDraftWhen(ready: Promise<void>, open: () => ReferenceDraftBackend): ReferenceDraftBackend {
  const backend = ready.then(open);
  return {
    load: () => backend.then((opened) => opened.load()),
    save: (saved) => backend.then((opened) => opened.save(saved)),
    close: () => void backend.then((opened) => opened.close()),
  };
}

export function memoryReferenceDraft(initial?: SavedReferences): ReferenceDraftBackend & { saved: SavedReferences | undefined } {
  const backend = {
    saved: initial,
    load: async () => backend.saved,
    save: async (references: SavedReferences) => void (backend.saved = references),
    close: () => undefined,
  };
  return backend;
}
