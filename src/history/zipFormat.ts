import * as z from "zod/mini";
import { AnswerEchoSchema, UsageSchema } from "../../machines/index.ts";

// The history export: one ZIP holding `history.json` (every record's prompt, parameters, gateway,
// usage, times and status, and where its images are) and the images themselves. What goes in is
// a list of fields, never the record as stored, so nothing the record may carry in future (nor a
// key or token, which it never holds) leaves by accident.

export const HISTORY_ZIP_FORMAT = "hfmig-history";
export const HISTORY_ZIP_VERSION = 1;
export const MANIFEST_NAME = "history.json";

/** Limits an import is held to (and an export, which must import again). */
export const ZIP_LIMITS = {
  /** The ZIP file itself. */
  zipBytes: 256 * 1024 * 1024,
  /** Everything in it once unpacked (a small ZIP can unpack to gigabytes). */
  unpackedBytes: 512 * 1024 * 1024,
  /** One image: what the native backend saves (`save_image`). */
  imageBytes: 64 * 1024 * 1024,
  records: 10_000,
  entries: 50_000,
} as const;

const text = (max: number) => z.string().check(z.maxLength(max));
/** Paths inside the ZIP: one folder level, safe characters only (never `..` or a leading `/`). */
const entryPath = () => z.string().check(z.regex(/^(images|references|masks)\/[A-Za-z0-9_.-]{1,120}$/));

const StoredFileSchema = z.object({ name: text(255), path: entryPath() });

// Built on first use (an export or import), never at the panel's first paint.
export const ExportedRecordSchema = z.lazy(() =>
  z.object({
    id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)),
    createdAt: z.number(),
    status: text(40),
    operation: z.enum(["generate", "edit"]),
    prompt: text(40_000),
    model: text(200),
    size: text(40),
    n: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
    quality: z.optional(text(40)),
    outputFormat: z.optional(text(40)),
    background: z.optional(text(40)),
    inputFidelity: z.optional(text(40)),
    seed: z.optional(z.number().check(z.int(), z.minimum(0))),
    negativePrompt: z.optional(text(40_000)),
    gatewayLabelKey: z.optional(z.enum(["cloud", "managed", "custom", "mock"])),
    gatewayKind: z.optional(z.enum(["managed", "custom", "mock"])),
    sentAt: z.optional(z.number()),
    elapsedMs: z.optional(z.number()),
    errorSummary: z.optional(text(2_000)),
    errorSentence: z.optional(z.object({ key: text(80), params: z.optional(z.record(z.string(), z.number())) })),
    errorDetail: z.optional(text(2_000)),
    afterCancel: z.optional(z.number()),
    recovered: z.optional(z.enum(["matched", "uncertain"])),
    resolvedBy: z.optional(text(80)),
    profileName: z.optional(text(80)),
    notBilled: z.optional(z.boolean()),
    batchId: z.optional(text(80)),
    batchIndex: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(99))),
    batchKind: z.optional(z.enum(["batch", "compare"])),
    kept: z.optional(z.boolean()),
    usage: z.optional(UsageSchema),
    /** What the answer said it made; an unreadable one is left out, the record kept. */
    echo: z.catch(z.optional(AnswerEchoSchema), undefined),
    favourite: z.boolean(),
    images: z.array(entryPath()).check(z.maxLength(100)),
    remoteUrls: z.array(text(4_000)).check(z.maxLength(100)),
    references: z.array(StoredFileSchema).check(z.maxLength(16)),
    mask: z.optional(StoredFileSchema),
    /** SHA-256 of the record's input and image bytes: what an import merges by. */
    contentHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  }),
);
export type ExportedRecord = z.infer<typeof ExportedRecordSchema>;

export const ManifestSchema = z.lazy(() =>
  z.object({
    format: z.literal(HISTORY_ZIP_FORMAT),
    version: z.number().check(z.int()),
    exportedAt: z.number(),
    records: z.array(z.unknown()).check(z.maxLength(ZIP_LIMITS.records)),
  }),
);

/** An image's type from its first bytes (PNG, JPEG, WebP), never from a name or a claim. */
export function imageTypeOfBytes(bytes: Uint8Array): "image/png" | "image/jpeg" | "image/webp" | undefined {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (bytes.length >= 12 && starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") return "image/webp";
  return undefined;
}

export const extensionOf = (type: string) => (type === "image/jpeg" ? "jpg" : type === "image/webp" ? "webp" : "png");

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");

/** SHA-256 (hex) of a request's input and its result images' bytes: the same request, exported twice, hashes the same. */
export async function contentHash(record: { createdAt: number; operation: string; prompt: string; model: string; size: string; n: number }, images: readonly Uint8Array<ArrayBuffer>[]): Promise<string> {
  const { createdAt, operation, prompt, model, size, n } = record;
  const parts: Uint8Array<ArrayBuffer>[] = [new TextEncoder().encode(JSON.stringify([createdAt, operation, prompt, model, size, n]))];
  for (const image of images) parts.push(new Uint8Array(await crypto.subtle.digest("SHA-256", image)));
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return hex(await crypto.subtle.digest("SHA-256", joined));
}

/** A Blob's bytes (Blob.arrayBuffer, or FileReader where an older engine lacks it). */
export const bytesOf = (blob: Blob): Promise<Uint8Array<ArrayBuffer>> =>
  typeof blob.arrayBuffer === "function"
    ? blob.arrayBuffer().then((buffer) => new Uint8Array(buffer))
    : new Promise((resolve, reject) => {
        const reader = new FileReader();
        reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
        reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
        reader.readAsArrayBuffer(blob);
      });
