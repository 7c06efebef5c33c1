import { echoFrom, redact } from "../../machines/index.ts";
import type { HistoryRecord } from "./historyRecord.ts";
import { bytesOf, contentHash, extensionOf, HISTORY_ZIP_FORMAT, HISTORY_ZIP_VERSION, MANIFEST_NAME, ZIP_LIMITS, type ExportedRecord } from "./zipFormat.ts";

export type ExportOutcome = { ok: true; bytes: Uint8Array; count: number } | { ok: false; problem: "empty" | "tooLarge" };

const safe = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 80);
const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/**
 * The ZIP of `records`: their images (stored as they are: they are compressed already) and
 * `history.json`, every free text through the one redaction function. Refused above the import's
 * own limit, so what is exported can be imported again. fflate is loaded here, on first export.
 */
export async function buildHistoryZip(records: readonly HistoryRecord[], now: number): Promise<ExportOutcome> {
  if (records.length === 0) return { ok: false, problem: "empty" };
  if (records.length > ZIP_LIMITS.records) return { ok: false, problem: "tooLarge" };
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  let total = 0;
  const put = (path: string, bytes: Uint8Array) => {
    files[path] = [bytes, { level: 0 }];
    total += bytes.length;
    return path;
  };
  const exported: ExportedRecord[] = [];
  for (const record of records) {
    const stem = safe(record.id);
    const images = await Promise.all(record.images.map(bytesOf));
    if (total + images.reduce((sum, image) => sum + image.length, 0) > ZIP_LIMITS.zipBytes) return { ok: false, problem: "tooLarge" };
    const imagePaths = images.map((bytes, index) => put(`images/${stem}-${index}.${extensionOf(record.images[index]!.type)}`, bytes));
    const references = [];
    for (const [index, reference] of record.references.entries()) references.push({ name: redact(reference.name), path: put(`references/${stem}-${index}.${extensionOf(reference.type)}`, await bytesOf(reference.blob)) });
    const mask = record.mask ? { name: redact(record.mask.name), path: put(`masks/${stem}.png`, await bytesOf(record.mask.blob)) } : undefined;
    if (total > ZIP_LIMITS.zipBytes) return { ok: false, problem: "tooLarge" };
    exported.push({
      id: record.id,
      createdAt: record.createdAt,
      status: record.status,
      operation: record.operation,
      prompt: redact(record.prompt),
      model: record.model,
      size: record.size,
      n: record.n,
      ...optional("quality", record.quality),
      ...optional("outputFormat", record.outputFormat),
      ...optional("background", record.background),
      ...optional("inputFidelity", record.inputFidelity),
      ...optional("seed", record.seed),
      ...optional("negativePrompt", record.negativePrompt === undefined ? undefined : redact(record.negativePrompt)),
      ...optional("gatewayLabelKey", record.gatewayLabelKey),
      // The profile by its name only: an id names another endpoint on another machine.
      ...optional("profileName", record.profileName === undefined ? undefined : redact(record.profileName)),
      ...optional("gatewayKind", record.gatewayKind),
      ...optional("sentAt", record.sentAt),
      ...optional("elapsedMs", record.elapsedMs),
      ...optional("errorSummary", record.errorSummary === undefined ? undefined : redact(record.errorSummary)),
      ...optional("errorSentence", record.errorSentence),
      ...optional("errorDetail", record.errorDetail === undefined ? undefined : redact(record.errorDetail)),
      ...optional("afterCancel", record.afterCancel),
      ...optional("recovered", record.recovered),
      ...optional("resolvedBy", record.resolvedBy),
      ...optional("notBilled", record.notBilled),
      ...optional("batchId", record.batchId),
      ...optional("batchIndex", record.batchIndex),
      ...optional("batchKind", record.batchKind),
      ...optional("kept", record.kept),
      ...optional("usage", record.usage),
      ...optional("echo", echoFrom(record.echo)),
      favourite: record.favourite,
      images: imagePaths,
      remoteUrls: record.remoteUrls.map((url) => redact(url)),
      references,
      ...optional("mask", mask),
      contentHash: await contentHash(record, images),
    });
  }
  const manifest = new TextEncoder().encode(JSON.stringify({ format: HISTORY_ZIP_FORMAT, version: HISTORY_ZIP_VERSION, exportedAt: now, records: exported }, null, 1));
  files[MANIFEST_NAME] = [manifest, { level: 6 }];
  const { zipSync } = await import("fflate");
  return { ok: true, bytes: zipSync(files), count: exported.length };
}
