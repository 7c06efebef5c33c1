import * as z from "zod/mini";
import { UsageSchema, type AnswerEcho, type GatewayKind, type GatewayLabelKey, type RequestInput, type RequestPhase, type Usage } from "../../machines/index.ts";

/** One request as the history keeps it. `running` is only ever seen while the panel is open; a
 * reload turns it into `interrupted` (its call had gone out) or `notSent` (it only waited). */
export type HistoryStatus = RequestPhase | "running" | "interrupted" | "notSent";

export interface HistoryRecord {
  id: string;
  createdAt: number;
  status: HistoryStatus;
  operation: "generate" | "edit";
  prompt: string;
  model: string;
  size: string;
  n: number;
  quality?: string;
  outputFormat?: string;
  background?: string;
  inputFidelity?: string;
  /** Sent only to providers that take them (the request's, not the answer's seed). */
  seed?: number;
  negativePrompt?: string;
  gatewayLabelKey?: GatewayLabelKey;
  /** The endpoint profile it went through, by its name then. */
  profileName?: string;
  /** …and its id, so "Reuse settings" can choose it again while it exists. */
  profileId?: string;
  /** The gateway its call went out on, as soon as it did (a reload may cut it off after that). */
  gatewayKind?: GatewayKind;
  /** When its first call went out: what reload recovery matches the gateway's saved outputs by. */
  sentAt?: number;
  /** Our own English summary (diagnostics); the row shows `errorSentence` and quotes only `errorDetail`. */
  errorSummary?: string;
  /** What happened, as the card said it: the i18n key `failure.<key>` and its values. */
  errorSentence?: { key: string; params?: Record<string, number> };
  /** The provider's or host gateway's own words, redacted. */
  errorDetail?: string;
  /** Ended without images, and its failure says nothing was billed (refused before running). */
  notBilled?: boolean;
  /** From creation to the final state: what "usually about" estimates read. */
  elapsedMs?: number;
  /** How many of the images arrived after the user cancelled (the gateway could not stop it). */
  afterCancel?: number;
  /** Set when reload recovery found images in the gateway's saved outputs; `uncertain` when more
   * than one request could have made them. */
  recovered?: "matched" | "uncertain";
  /** Token counts the answer reported (records from before usage was kept have none). */
  usage?: Usage;
  /** What the answer says it made (records from before it was kept have none). Not checked on
   * load: the views read it again with `echoFrom`, so a damaged one shows nothing and costs no record. */
  echo?: AnswerEcho;
  /** The batch or compare it was sent in (history groups by it), and its place there. */
  batchId?: string;
  batchIndex?: number;
  /** A batch of prompts or a compare (records from before this was kept have none: a batch). */
  batchKind?: "batch" | "compare";
  /** The result the user kept of its compare. */
  kept?: boolean;
  /** The later request with the same input that succeeded: this interrupted one is resolved. */
  resolvedBy?: string;
  favourite: boolean;
  /** Results that came back as bytes. */
  images: Blob[];
  /** Set when the images did not reach storage (the record itself did): how many, and why. The
   * stored record then holds none; this session keeps them in memory until the panel closes. */
  imagesNotSaved?: ImagesNotSaved;
  /** Results that came back as (already validated) remote URLs. */
  remoteUrls: string[];
  references: StoredImage[];
  mask?: StoredImage;
}

/** `unconfirmed`: the record landed but its images' write never confirmed (the panel closed meanwhile). */
export const ImagesNotSavedSchema = z.lazy(() => z.object({ count: z.number(), reason: z.enum(["storageFull", "unconfirmed"]) }));
export type ImagesNotSaved = z.infer<typeof ImagesNotSavedSchema>;

/** A reference image or mask kept with its request, as bytes (Blob), never as a base64 string. */
// Built on first use (z.lazy), once history or the references draft is read after the first paint.
export const StoredImageSchema = z.lazy(() => z.object({ name: z.string(), type: z.string(), blob: z.instanceof(Blob) }));
export type StoredImage = z.infer<typeof StoredImageSchema>;

// Loose: fields a later version adds survive a read and a re-save by this one.
const HistoryRecordSchema = z.lazy(() =>
  z.looseObject({
    id: z.string(),
    createdAt: z.number(),
    status: z.string(),
    operation: z.enum(["generate", "edit"]),
    prompt: z.string(),
    model: z.string(),
    size: z.string(),
    n: z.number(),
    favourite: z.boolean(),
    images: z.array(z.instanceof(Blob)),
    remoteUrls: z.array(z.string()),
    references: z.array(StoredImageSchema),
    mask: z.optional(StoredImageSchema),
    usage: z.optional(UsageSchema),
    batchId: z.optional(z.string()),
    batchIndex: z.optional(z.number()),
    batchKind: z.optional(z.enum(["batch", "compare"])),
    kept: z.optional(z.boolean()),
    notBilled: z.optional(z.boolean()),
    imagesNotSaved: z.optional(ImagesNotSavedSchema),
  }),
);

/**
 * Whether a value read back from storage has the shape the panel renders. Another version, a
 * crash mid-write or a hand edit can leave anything in IndexedDB; such records are skipped.
 */
export const isHistoryRecord = (value: unknown): value is HistoryRecord => HistoryRecordSchema.safeParse(value).success;

/** What storage gets of a record whose images it refused: everything but the result images. */
export const withoutImages = (record: HistoryRecord): HistoryRecord => (record.imagesNotSaved ? { ...record, images: [] } : record);

/** How many images the request returned, kept or not (what per-image prices count). */
export const imageCount = (record: HistoryRecord) => (record.images.length || (record.imagesNotSaved?.count ?? 0)) + record.remoteUrls.length;

const RUNNING: readonly HistoryStatus[] = ["running", "validating", "queued", "resolving", "requesting", "waitingRetry"];

/**
 * A request that was still running when the panel last closed ended without us: `interrupted`
 * when its call had gone out (it may have been billed), `notSent` when it never left the queue.
 */
export const settleAfterReload = (record: HistoryRecord): HistoryRecord =>
  RUNNING.includes(record.status) ? { ...record, status: record.gatewayKind ? "interrupted" : "notSent" } : record;

export function base64ToBlob(base64: string, type: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return new Blob([bytes], { type });
}

/** `data:<type>;base64,<payload>` → Blob, or undefined for anything else. */
export function dataUrlToBlob(url: string): Blob | undefined {
  const match = /^data:([\w.+/-]+);base64,(.*)$/s.exec(url);
  return match ? base64ToBlob(match[2]!, match[1]!) : undefined;
}

/** A Blob's bytes as base64: the engine's own encoder (readAsDataURL), fast for multi-megabyte images. */
export const blobToBase64 = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable image"));
    reader.readAsDataURL(blob);
  });

/** A new history record for a request the panel accepted (its input already validated). */
export function recordFromInput(id: string, createdAt: number, input: RequestInput, batch?: { id: string; index: number; kind?: "batch" | "compare" }): HistoryRecord {
  const edit = input.operation === "edit" ? input : undefined;
  return {
    id,
    createdAt,
    status: "running",
    operation: input.operation,
    prompt: input.prompt,
    model: input.model,
    size: input.size,
    n: input.n,
    ...(input.quality ? { quality: input.quality } : {}),
    ...(input.outputFormat ? { outputFormat: input.outputFormat } : {}),
    ...(batch ? { batchId: batch.id, batchIndex: batch.index, ...(batch.kind ? { batchKind: batch.kind } : {}) } : {}),
    ...(input.background ? { background: input.background } : {}),
    ...(edit?.inputFidelity ? { inputFidelity: edit.inputFidelity } : {}),
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
    ...(input.negativePrompt ? { negativePrompt: input.negativePrompt } : {}),
    favourite: false,
    images: [],
    remoteUrls: [],
    references: (edit?.images ?? []).map((file) => ({ name: file.fileName, type: file.contentType, blob: file.blob })),
    ...(edit?.mask ? { mask: { name: edit.mask.fileName, type: edit.mask.contentType, blob: edit.mask.blob } } : {}),
  };
}
