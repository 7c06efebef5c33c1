import type { GatewayKind, ImageOutput, ImageSource } from "../gatewayCall.ts";
import type { GatewayLabelKey } from "../labels.ts";
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
  gatewayLabelKey?: GatewayLabelKey;
  gatewayKind?: GatewayKind;
  images: ImageOutput[];
  usage?: Usage;
  echo?: AnswerEcho;
  /** Set when reload recovery found its images in the gateway's saved outputs. */
  recovered?: "matched" | "uncertain";
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
  /** Set when fewer images arrived than were asked for: how many of how many, and why (the failure's sentence). */
  partial?: { received: number; expected: number; why?: NonNullable<RequestView["error"]>["sentence"] };
  /** From history: the request ended before this panel was opened. */
  recorded?: true;
}

/** Image numbers after the `shown` ones (images and a preview) up to `total`, e.g. 2 of 2. */
const placeholders = (shown: number, total: number) => Array.from({ length: Math.max(0, total - shown) }, (_, slot) => ({ index: shown + slot + 1, total }));
const RESULT_STATUSES = ["succeeded", "partiallySucceeded", "cancelled", "failed"];
// An interrupted request has images only when reload recovery found them in the gateway's outputs;
// Results show them as the request's own only when the match is certain (history shows the rest).
const inResults = (record: RecordedResult) => RESULT_STATUSES.includes(record.status) || (record.status === "interrupted" && record.recovered === "matched");

/**
 * The results area: the panel's requests (placeholders while they run) and, after them, the ones
 * history holds with images — grouped by request, newest first. Removing a card drops only its live
 * group: its images stay in history and come back from there.
 */
export function selectResultGroups(views: readonly RequestView[], recorded: readonly RecordedResult[]): ResultGroup[] {
  const live = views
    .filter((view) => view.count !== undefined && (view.outputs.length > 0 || !view.final || view.preview))
    .map((view): ResultGroup => {
      const expected = view.count!;
      const received = view.outputs.length;
      return {
        id: view.id,
        createdAt: view.createdAt,
        promptPreview: view.promptPreview ?? "",
        ...(view.model ? { model: view.model, size: view.size } : {}),
        ...(view.quality ? { quality: view.quality } : {}),
        ...(view.outputFormat ? { outputFormat: view.outputFormat } : {}),
        ...(view.background ? { background: view.background } : {}),
        ...(view.gateway ? { gatewayLabelKey: view.gateway.labelKey, gatewayKind: view.gateway.kind } : {}),
        images: view.outputs,
        placeholders: view.final ? [] : placeholders(received + (view.preview ? 1 : 0), expected),
        ...(view.preview ? { preview: view.preview } : {}),
        ...(view.usage ? { usage: view.usage } : {}),
        ...(view.echo ? { echo: view.echo } : {}),
        ...(view.final && received < expected ? { partial: { received, expected, ...(view.error?.sentence ? { why: view.error.sentence } : {}) } } : {}),
      };
    });
  const shown = new Set(views.map((view) => view.id));
  const past = recorded
    .filter((record) => !shown.has(record.id) && record.images.length > 0 && inResults(record))
    .map((record): ResultGroup => ({
      id: record.id,
      createdAt: record.createdAt,
      promptPreview: promptPreview(record.prompt),
      model: record.model,
      size: record.size,
      ...(record.quality ? { quality: record.quality } : {}),
      ...(record.outputFormat ? { outputFormat: record.outputFormat } : {}),
      ...(record.background ? { background: record.background } : {}),
      ...(record.gatewayLabelKey ? { gatewayLabelKey: record.gatewayLabelKey } : {}),
      ...(record.gatewayKind ? { gatewayKind: record.gatewayKind } : {}),
      images: record.images,
      ...(record.usage ? { usage: record.usage } : {}),
      ...(record.echo ? { echo: record.echo } : {}),
      placeholders: [],
      ...(record.images.length < record.count ? { partial: { received: record.images.length, expected: record.count } } : {}),
      recorded: true,
    }));
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
    gatewayLabelKey?: GatewayLabelKey;
    gatewayKind?: GatewayKind;
    usage?: Usage;
    /** As stored: read again here, so a damaged one shows nothing instead of anything. */
    echo?: unknown;
    recovered?: "matched" | "uncertain";
    images: readonly Blob[];
    remoteUrls: readonly string[];
  },
): RecordedResult {
  const { id, createdAt, prompt, n, status, model, size, quality, outputFormat, background, gatewayLabelKey, gatewayKind, usage, recovered } = record;
  const echo = echoFrom(record.echo);
  return { id, createdAt, prompt, count: n, status, model, size, quality, outputFormat, background, gatewayLabelKey, gatewayKind, usage, echo, recovered, images: recordImages(record) };
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
    const { id, promptPreview: prompt, model, size, quality, outputFormat, background, echo, gatewayLabelKey, gatewayKind, createdAt, usage, images } = group;
    const priced = usage && model ? { usage: { usage, request: { model, size: size ?? "auto", quality, images: images.length, gatewayKind, gatewayLabelKey } } } : {};
    images.forEach(({ src, revisedPrompt }, index) => {
      const details = { prompt, revisedPrompt, model, size, quality, outputFormat, background, echo, gatewayLabelKey, createdAt, ...priced };
      items.push({ key: `${id}:${index}`, src: imageUrl(src), ...(typeof src === "string" ? {} : { blob: src }), stem: `image-${id.slice(-8)}-${index}`, alt: revisedPrompt, details, requestId: id });
    });
  }
  return { items, first };
}

/** One history record's images in the viewer, its prompt as their text alternative. */
export function selectRecordItems(
  record: { id: string; prompt: string; model: string; size: string; quality?: string; outputFormat?: string; background?: string; echo?: unknown; gatewayLabelKey?: GatewayLabelKey; createdAt: number; images: readonly Blob[]; remoteUrls: readonly string[] },
  imageUrl: (source: ImageSource) => string,
): ViewerItem[] {
  const { id, prompt, model, size, quality, outputFormat, background, gatewayLabelKey, createdAt } = record;
  const details = { prompt, model, size, quality, outputFormat, background, echo: echoFrom(record.echo), gatewayLabelKey, createdAt };
  return recordImages(record).map(({ src }, index) => ({ key: `${id}:${index}`, src: imageUrl(src), ...(typeof src === "string" ? {} : { blob: src }), stem: `image-${id.slice(-8)}-${index}`, alt: prompt, details, requestId: id }));
}
