import type { GatewayKind, ImageOutput, ImageSource } from "../gatewayCall.ts";
import { FAILURE_SENTENCES, type GatewayLabelKey, type SentenceKey } from "../labels.ts";
import { echoFrom, type AnswerEcho, type Usage } from "../rules/gatewayAnswers.schema.ts";
import { promptPreview, type RequestView } from "./requests.ts";
import type { PriceFacts } from "./usage.ts";

/** A finished request as history keeps it: what the results area shows after a reload. */
export interface RecordedResult {
  id: string;
  createdAt: number;
  prompt: string;
  count: number;
  status: string;
  model: string;
  size: string;
  quality?: string;
  outputFormat?: string;
  background?: string;
  seed?: number;
  gatewayLabelKey?: GatewayLabelKey;
  gatewayKind?: GatewayKind;
  images: ImageOutput[];
  usage?: Usage;
  echo?: AnswerEcho;
  /** Set when reload recovery found its images in the gateway's saved outputs. */
  recovered?: "matched" | "uncertain";
  /** The batch or compare it was sent in, and its place there. */
  batch?: ResultBatchRef;
  /** What happened, as its card said it. */
  why?: FailureSentence;
  /** The compare result the user kept. */
  kept?: boolean;
  /** Ended without images, and nothing was billed (see `endedNotBilled`). */
  notBilled?: boolean;
}

/** A request's batch or compare: its id, its place in the order sent, and which of the two it is. */
export interface ResultBatchRef {
  id: string;
  index: number;
  kind: "batch" | "compare";
}

type FailureSentence = NonNullable<NonNullable<RequestView["error"]>["sentence"]>;

/** A batch or compare the panel sent: its requests in the order they were made. */
export interface LiveBatch {
  id: string;
  kind: ResultBatchRef["kind"];
  ids: readonly string[];
  keptId?: string;
}

/** One request's images in the results area, in the order its card shows them. */
export interface ResultGroup {
  id: string;
  createdAt: number;
  promptPreview: string;
  model?: string;
  size?: string;
  quality?: string;
  outputFormat?: string;
  background?: string;
  seed?: number;
  gatewayLabelKey?: GatewayLabelKey;
  gatewayKind?: GatewayKind;
  images: ImageOutput[];
  /** Images still on their way, numbered among all the request asked for (placeholders), while it runs. */
  placeholders: { index: number; total: number }[];
  /** Shown in the first placeholder's place: the request's newest partial. */
  preview?: RequestView["preview"];
  usage?: Usage;
  /** What the answer says it made. */
  echo?: AnswerEcho;
  /** Set when fewer images arrived than were asked for: how many of how many, and why (the failure's
   * sentence, else how it ended when that is not a failure: cancelled, never sent, cut off by a reload). */
  partial?: { received: number; expected: number; why?: FailureSentence; ended?: "cancelled" | "notSent" | "interrupted" };
  /** From history: the request ended before this panel was opened. */
  recorded?: true;
  /** Images asked for. */
  count: number;
  /** Not ended yet: its images are still on their way. */
  running?: true;
  /** The batch or compare it was sent in: the results area shows it under that batch's header. */
  batch?: ResultBatchRef;
  /** The compare result the user kept (from history; a live compare's is on its batch). */
  kept?: true;
  /** Ended without images, and nothing was billed: it costs nothing (rather than "no estimate"). */
  notBilled?: true;
}

/**
 * A request that ended with no image and no usage, whose call never went out or whose failure says
 * it cannot have been billed (a provider refusal before running). What history keeps as `notBilled`.
 */
export const endedNotBilled = (view: RequestView) =>
  view.final && view.outputs.length === 0 && !view.usage && (view.attempt === 0 || view.error?.mayHaveBeenBilled === false);

/** Image numbers after the `shown` ones (images and a preview) up to `total`, e.g. 2 of 2. */
const placeholders = (shown: number, total: number) => Array.from({ length: Math.max(0, total - shown) }, (_, slot) => ({ index: shown + slot + 1, total }));
const RESULT_STATUSES = ["succeeded", "partiallySucceeded", "cancelled", "failed"];
// An interrupted request has images only when reload recovery found them in the gateway's outputs;
// Results show them as the request's own only when the match is certain (history shows the rest).
const inResults = (record: RecordedResult) => RESULT_STATUSES.includes(record.status) || (record.status === "interrupted" && record.recovered === "matched");

const ENDED_NOT_FAILED = ["cancelled", "notSent", "interrupted"] as const;
const endedAs = (status: string) => ENDED_NOT_FAILED.find((ended) => ended === status);
// On its own a request shows in Results with images, while it runs or with a preview (a failure
// without images is said by its card). A batch shows whole once one of its requests would:
// its failed and unsent requests then say so in their place.
const showsAlone = (view: RequestView) => view.outputs.length > 0 || !view.final || Boolean(view.preview);
const recordShowsAlone = (record: RecordedResult) => record.images.length > 0 && inResults(record);
const BATCH_MEMBER_STATUSES = [...RESULT_STATUSES, "timedOut", "notSent", "interrupted"];

/**
 * The results area: the panel's requests (placeholders while they run) and, after them, the ones
 * history holds with images — grouped by request, newest first. Removing a card drops only its live
 * group: its images stay in history and come back from there. A batch's requests carry `batch`
 * (`selectResultSections` puts them under one header) and are all there, ended or not, images or not.
 */
export function selectResultGroups(views: readonly RequestView[], recorded: readonly RecordedResult[], batches: readonly LiveBatch[] = []): ResultGroup[] {
  const withCount = views.filter((view) => view.count !== undefined);
  const shown = new Set(views.map((view) => view.id));
  const shownBatches = new Set([
    ...withCount.filter((view) => view.batchId && showsAlone(view)).map((view) => view.batchId!),
    ...recorded.filter((record) => record.batch && !shown.has(record.id) && recordShowsAlone(record)).map((record) => record.batch!.id),
  ]);
  const places = new Map(batches.flatMap(({ id, kind, ids }) => ids.map((request, index): [string, ResultBatchRef] => [request, { id, index, kind }])));
  const live = withCount
    .filter((view) => showsAlone(view) || (view.batchId !== undefined && shownBatches.has(view.batchId)))
    .map((view): ResultGroup => {
      const expected = view.count!;
      const received = view.outputs.length;
      const batch = places.get(view.id);
      const ended = batch && view.phase === "cancelled" && !view.error?.sentence ? { ended: "cancelled" as const } : {};
      return {
        id: view.id,
        createdAt: view.createdAt,
        promptPreview: view.promptPreview ?? "",
        count: expected,
        ...(view.model ? { model: view.model, size: view.size } : {}),
        ...(view.quality ? { quality: view.quality } : {}),
        ...(view.outputFormat ? { outputFormat: view.outputFormat } : {}),
        ...(view.background ? { background: view.background } : {}),
        ...(view.seed !== undefined ? { seed: view.seed } : {}),
        ...(view.gateway ? { gatewayLabelKey: view.gateway.labelKey, gatewayKind: view.gateway.kind } : {}),
        images: view.outputs,
        placeholders: view.final ? [] : placeholders(received + (view.preview ? 1 : 0), expected),
        ...(view.final ? {} : { running: true as const }),
        ...(view.preview ? { preview: view.preview } : {}),
        ...(view.usage ? { usage: view.usage } : {}),
        ...(view.echo ? { echo: view.echo } : {}),
        ...(view.final && received < expected ? { partial: { received, expected, ...(view.error?.sentence ? { why: view.error.sentence } : ended) } } : {}),
        ...(batch ? { batch } : {}),
        ...(endedNotBilled(view) ? { notBilled: true as const } : {}),
      };
    });
  const past = recorded
    .filter((record) => !shown.has(record.id) && (record.batch && shownBatches.has(record.batch.id) ? BATCH_MEMBER_STATUSES.includes(record.status) : recordShowsAlone(record)))
    .map((record): ResultGroup => {
      const ended = record.why ? { why: record.why } : endedAs(record.status) ? { ended: endedAs(record.status)! } : {};
      // Images recovery could not tie to this request for certain stay in history only.
      const images = record.status === "interrupted" && record.recovered !== "matched" ? [] : record.images;
      return {
        id: record.id,
        createdAt: record.createdAt,
        promptPreview: promptPreview(record.prompt),
        count: record.count,
        model: record.model,
        size: record.size,
        ...(record.quality ? { quality: record.quality } : {}),
        ...(record.outputFormat ? { outputFormat: record.outputFormat } : {}),
        ...(record.background ? { background: record.background } : {}),
        ...(record.seed !== undefined ? { seed: record.seed } : {}),
        ...(record.gatewayLabelKey ? { gatewayLabelKey: record.gatewayLabelKey } : {}),
        ...(record.gatewayKind ? { gatewayKind: record.gatewayKind } : {}),
        images,
        ...(record.usage ? { usage: record.usage } : {}),
        ...(record.echo ? { echo: record.echo } : {}),
        placeholders: [],
        ...(images.length < record.count ? { partial: { received: images.length, expected: record.count, ...(record.batch ? ended : {}) } } : {}),
        recorded: true,
        ...(record.batch ? { batch: record.batch } : {}),
        ...(record.kept ? { kept: true as const } : {}),
        ...(images.length === 0 && (record.notBilled || record.status === "notSent") ? { notBilled: true as const } : {}),
      };
    });
  return [...live, ...past].sort((a, b) => b.createdAt - a.createdAt);
}

/** A history record's images as the panel shows them: its Blobs, then its remote URLs. */
export const recordImages = (record: { images: readonly Blob[]; remoteUrls: readonly string[] }): ImageOutput[] => [
  ...record.images.map((blob) => ({ src: blob })),
  ...record.remoteUrls.map((src) => ({ src })),
];

/** A history record as the results area reads it. */
export function recordedResult(
  record: {
    id: string;
    createdAt: number;
    prompt: string;
    n: number;
    status: string;
    model: string;
    size: string;
    quality?: string;
    outputFormat?: string;
    background?: string;
    seed?: number;
    gatewayLabelKey?: GatewayLabelKey;
    gatewayKind?: GatewayKind;
    usage?: Usage;
    /** As stored: read again here, so a damaged one shows nothing instead of anything. */
    echo?: unknown;
    recovered?: "matched" | "uncertain";
    images: readonly Blob[];
    remoteUrls: readonly string[];
    batchId?: string;
    batchIndex?: number;
    batchKind?: ResultBatchRef["kind"];
    errorSentence?: { key: string; params?: Record<string, number> };
    kept?: boolean;
    notBilled?: boolean;
  },
): RecordedResult {
  const { id, createdAt, prompt, n, status, model, size, quality, outputFormat, background, seed, gatewayLabelKey, gatewayKind, usage, recovered, batchId, batchIndex, batchKind, errorSentence, kept, notBilled } = record;
  const echo = echoFrom(record.echo);
  return {
    id,
    createdAt,
    prompt,
    count: n,
    status,
    model,
    size,
    quality,
    outputFormat,
    background,
    ...(seed !== undefined ? { seed } : {}),
    gatewayLabelKey,
    gatewayKind,
    usage,
    echo,
    recovered,
    images: recordImages(record),
    ...(batchId ? { batch: { id: batchId, index: batchIndex ?? 0, kind: batchKind ?? "batch" } } : {}),
    // A stored key this version does not know says nothing.
    ...(errorSentence && Object.hasOwn(FAILURE_SENTENCES, errorSentence.key) ? { why: { key: errorSentence.key as SentenceKey, ...(errorSentence.params ? { params: errorSentence.params } : {}) } } : {}),
    ...(kept ? { kept } : {}),
    ...(notBilled ? { notBilled } : {}),
  };
}

/**
 * The history records the results area reads after a reload: the newest `groups` requests, a
 * batch or compare counting as one and coming whole (records are newest first).
 */
export function newestResultRecords<Entry extends { id: string; batchId?: string }>(records: readonly Entry[], groups: number): Entry[] {
  const keys = new Set<string>();
  return records.filter((record) => {
    const key = record.batchId ?? record.id;
    if (!keys.has(key) && keys.size >= groups) return false;
    keys.add(key);
    return true;
  });
}

/** One image in the viewer: what it shows, the file name's stem, its bytes where held, and what it says about the image. */
export interface ViewerItem {
  key: string;
  /** The address it is shown from: the Blob's object URL, or the remote URL. */
  src: string;
  stem: string;
  /** The image's bytes where the panel holds them: image actions use them. */
  blob?: Blob;
  /** Its text alternative; absent: the panel's generic "Generated image". */
  alt?: string;
  /** What the viewer says about the image. */
  details?: {
    prompt?: string;
    revisedPrompt?: string;
    model?: string;
    size?: string;
    quality?: string;
    /** The format asked for (absent: the model's default). */
    outputFormat?: string;
    background?: string;
    /** The seed asked for. */
    seed?: number;
    /** What the answer says it made. */
    echo?: AnswerEcho;
    gatewayLabelKey?: GatewayLabelKey;
    createdAt?: number;
    /** The answer's usage and what it is priced by (every image of its request). */
    usage?: { usage: Usage; request: Omit<PriceFacts, "usage"> };
  };
  /** The request it came from: "Reuse settings" restores that request's settings from its record. */
  requestId: string;
}

/**
 * The viewer walks every image of every result group, in the order shown; `first[g]` is the
 * viewer index of group g's first image. `imageUrl` gives a held image's address.
 */
export function selectGalleryItems(groups: readonly ResultGroup[], imageUrl: (source: ImageSource) => string): { items: ViewerItem[]; first: number[] } {
  const items: ViewerItem[] = [];
  const first: number[] = [];
  for (const group of groups) {
    first.push(items.length);
    const { id, promptPreview: prompt, model, size, quality, outputFormat, background, seed, echo, gatewayLabelKey, gatewayKind, createdAt, usage, images } = group;
    const priced = usage && model ? { usage: { usage, request: { model, size: size ?? "auto", quality, images: images.length, gatewayKind, gatewayLabelKey } } } : {};
    images.forEach(({ src, revisedPrompt }, index) => {
      const details = { prompt, revisedPrompt, model, size, quality, outputFormat, background, seed, echo, gatewayLabelKey, createdAt, ...priced };
      items.push({ key: `${id}:${index}`, src: imageUrl(src), ...(typeof src === "string" ? {} : { blob: src }), stem: `image-${id.slice(-8)}-${index}`, alt: revisedPrompt, details, requestId: id });
    });
  }
  return { items, first };
}

/** One history record's images in the viewer, its prompt as their text alternative. */
export function selectRecordItems(
  record: { id: string; prompt: string; model: string; size: string; quality?: string; outputFormat?: string; background?: string; seed?: number; echo?: unknown; gatewayLabelKey?: GatewayLabelKey; createdAt: number; images: readonly Blob[]; remoteUrls: readonly string[] },
  imageUrl: (source: ImageSource) => string,
): ViewerItem[] {
  const { id, prompt, model, size, quality, outputFormat, background, seed, gatewayLabelKey, createdAt } = record;
  const details = { prompt, model, size, quality, outputFormat, background, seed, echo: echoFrom(record.echo), gatewayLabelKey, createdAt };
  return recordImages(record).map(({ src }, index) => ({ key: `${id}:${index}`, src: imageUrl(src), ...(typeof src === "string" ? {} : { blob: src }), stem: `image-${id.slice(-8)}-${index}`, alt: prompt, details, requestId: id }));
}
