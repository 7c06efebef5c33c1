import { echoFrom, type AnswerEcho } from "../rules/answerEcho.schema.ts";

/** What came back, as far as the panel can tell: read from the image itself, or echoed by the answer. */
export interface ActualFacts {
  /** The image's own pixel size, once it has loaded. */
  width?: number;
  height?: number;
  /** The image's MIME type (its Blob's, or its data URL's). */
  type?: string;
  /** What the answer says it made (OpenAI's echoed `size`, `quality`, `output_format`, `background`; a provider's `seed`). */
  echo?: AnswerEcho;
}

/** What was asked, as the request or its history record holds it. */
export interface RequestedFacts {
  size?: string;
  quality?: string;
  outputFormat?: string;
  background?: string;
  /** The seed asked for (absent: the provider's choice). */
  seed?: number;
}

/** One line of the viewer's "requested / actual" table; `differs` marks where they disagree. */
export interface RequestedActualRow {
  field: "size" | "format" | "quality" | "background" | "seed";
  requested?: string;
  actual?: string;
  differs: boolean;
}

const PIXEL_SIZE = /^\d+x\d+$/;
const FORMAT_OF_TYPE: Record<string, string> = { "image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp" };

/** An image's format from its MIME type (a Blob's type or a data URL's header), or undefined. */
export const imageTypeOf = (src: string, blobType?: string) => blobType || /^data:([\w.+/-]+);/.exec(src)?.[1];

/**
 * What was asked beside what came back, for the viewer and history: the size read from the image
 * (else the answer's echo), its format (likewise), the quality and background echoed, the seed
 * where the provider returns one. A field is shown only when something is known of it; `auto` or
 * an absent request differs from nothing.
 */
export function selectRequestedActual(requested: RequestedFacts, actual: ActualFacts): RequestedActualRow[] {
  const rows: RequestedActualRow[] = [];
  const line = (field: RequestedActualRow["field"], asked: string | undefined, got: string | undefined, comparable = true) => {
    if (asked === undefined && got === undefined) return;
    const open = asked === undefined || asked === "auto" || !comparable;
    rows.push({ field, ...(asked !== undefined ? { requested: asked } : {}), ...(got !== undefined ? { actual: got } : {}), differs: !open && got !== undefined && got !== asked });
  };
  const read = actual.width && actual.height ? `${actual.width}x${actual.height}` : actual.echo?.size;
  // Only pixels compare with pixels: a provider's own size words ("2K", "16:9 2k") are not a WxH.
  line("size", requested.size, read, PIXEL_SIZE.test(requested.size ?? ""));
  const format = actual.type ? FORMAT_OF_TYPE[actual.type] : actual.echo?.outputFormat;
  line("format", requested.outputFormat, format);
  line("quality", requested.quality, actual.echo?.quality);
  line("background", requested.background, actual.echo?.background);
  if (actual.echo?.seed !== undefined) line("seed", requested.seed?.toString(), String(actual.echo.seed));
  return rows;
}

/**
 * What came back of a history record, without loading its image: its stored echo (read again:
 * a damaged one says nothing) and its first image's type. Only the rows with an actual value.
 */
export function selectRecordActual(record: RequestedFacts & { echo?: unknown; images: readonly Blob[] }): RequestedActualRow[] {
  const type = record.images[0]?.type || undefined;
  return selectRequestedActual(record, { ...(type ? { type } : {}), echo: echoFrom(record.echo) }).filter((row) => row.actual !== undefined);
}
