import type { HistoryRecord } from "./historyRecord.ts";
import { ExportedRecordSchema, HISTORY_ZIP_FORMAT, HISTORY_ZIP_VERSION, imageTypeOfBytes, MANIFEST_NAME, ManifestSchema, ZIP_LIMITS, type ExportedRecord } from "./zipFormat.ts";

/** Why a ZIP was not read at all: each its own sentence in the panel, nothing in history touched. */
export type ImportProblem = "tooLarge" | "corrupt" | "notOurs" | "newer";

export interface ImportedRecord {
  record: HistoryRecord;
  contentHash: string;
}
export type ImportRead = { ok: true; records: ImportedRecord[]; refused: number } | { ok: false; problem: ImportProblem };

class TooLarge extends Error {}

/**
 * Reads a history ZIP: refused whole when it is too large (the file, or what it would unpack to),
 * corrupt, not a history export, or from a newer version. A record that does not match the format
 * or whose images fail the image checks (PNG, JPEG or WebP by their bytes, at most 64 MB each)
 * is refused on its own and counted. fflate is loaded here, on first import.
 */
export async function readHistoryZip(bytes: Uint8Array, limits: { zipBytes: number; unpackedBytes: number; entries: number } = ZIP_LIMITS): Promise<ImportRead> {
  if (bytes.length > limits.zipBytes) return { ok: false, problem: "tooLarge" };
  // Not a ZIP at all (a local file header, or an empty archive's end record).
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5))) return { ok: false, problem: "notOurs" };
  const { unzipSync } = await import("fflate");
  let files: Record<string, Uint8Array>;
  try {
    let unpacked = 0;
    let entries = 0;
    files = unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize;
        entries += 1;
        if (unpacked > limits.unpackedBytes || entries > limits.entries) throw new TooLarge();
        return true;
      },
    });
  } catch (error) {
    return { ok: false, problem: error instanceof TooLarge ? "tooLarge" : "corrupt" };
  }
  const manifestBytes = files[MANIFEST_NAME];
  if (!manifestBytes) return { ok: false, problem: "notOurs" };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(manifestBytes));
  } catch {
    return { ok: false, problem: "corrupt" };
  }
  if ((json as { format?: unknown } | null)?.format !== HISTORY_ZIP_FORMAT) return { ok: false, problem: "notOurs" };
  const manifest = ManifestSchema.safeParse(json);
  if (!manifest.success) return { ok: false, problem: "corrupt" };
  if (manifest.data.version > HISTORY_ZIP_VERSION) return { ok: false, problem: "newer" };
  const records: ImportedRecord[] = [];
  let refused = 0;
  for (const candidate of manifest.data.records) {
    const parsed = ExportedRecordSchema.safeParse(candidate);
    const record = parsed.success ? toRecord(parsed.data, files) : undefined;
    if (record) records.push({ record, contentHash: parsed.data!.contentHash });
    else refused += 1;
  }
  return { ok: true, records, refused };
}

/** An image of the ZIP as a Blob typed by its bytes, or undefined when it is missing or fails the checks. */
function image(files: Record<string, Uint8Array>, path: string): Blob | undefined {
  const bytes = files[path];
  if (!bytes || bytes.length > ZIP_LIMITS.imageBytes) return undefined;
  const type = imageTypeOfBytes(bytes);
  return type ? new Blob([bytes as Uint8Array<ArrayBuffer>], { type }) : undefined;
}

function toRecord(exported: ExportedRecord, files: Record<string, Uint8Array>): HistoryRecord | undefined {
  const { images: imagePaths, references: referenceFiles, mask: maskFile, contentHash: _hash, ...fields } = exported;
  const images = imagePaths.map((path) => image(files, path));
  const references = referenceFiles.map((file) => ({ name: file.name, blob: image(files, file.path) }));
  const mask = maskFile ? { name: maskFile.name, blob: image(files, maskFile.path) } : undefined;
  if (images.some((blob) => !blob) || references.some((file) => !file.blob) || (mask && !mask.blob)) return undefined;
  return {
    ...fields,
    // A request still running when it was exported can never finish here.
    status: fields.status === "running" ? "interrupted" : (fields.status as HistoryRecord["status"]),
    images: images as Blob[],
    references: references.map(({ name, blob }) => ({ name, type: blob!.type, blob: blob! })),
    ...(mask ? { mask: { name: mask.name, type: mask.blob!.type, blob: mask.blob! } } : {}),
  };
}
