import type { RequestPhase } from "../request.machine.ts";
import { toneOf, type Tone } from "./requests.ts";

/** A history row's tone, the same as its request card's: interrupted is a failure to be retried,
 * until a later success of the same input resolves it or recovery finds its images (warn when the
 * match is uncertain); a request a reload left unsent is neutral: it is offered again. */
export const historyTone = (status: string, resolvedBy?: string, recovered?: "matched" | "uncertain"): Tone =>
  status === "running"
    ? "running"
    : resolvedBy || status === "notSent"
      ? "neutral"
      : status === "interrupted"
        ? recovered === "matched" ? "ok" : recovered ? "warn" : "bad"
        : toneOf(status as RequestPhase, true);

/** What a history row says of its request, from the facts history keeps. */
export interface HistoryRowView {
  tone: Tone;
  /** The badge: `ended` shows the request's own final phase. */
  status: "resolved" | "running" | "notSent" | "interrupted" | "recovered" | "possiblyRecovered" | "ended";
  /** Why there is no picture, when there is none. */
  noImage: "running" | "interrupted" | "notSent" | "failed" | "none";
  /** The one line under it: sent before a reload (may have been billed), only queued, or the error. */
  note?: "mayHaveBeenBilled" | "notSent" | "error";
  /** Offer "Put back in composer" in words: the request was never sent. */
  putBack: boolean;
  /** The badge's words: the row's own status, or the request's final phase. */
  label: `phase.${string}` | (typeof STATUS_LABELS)[keyof typeof STATUS_LABELS];
  /** Where the picture would be, when there is none: why. */
  noImageLabel: (typeof NO_IMAGE_LABELS)[keyof typeof NO_IMAGE_LABELS] | "history.noImage.notSaved";
}

const STATUS_LABELS = {
  resolved: "history.resolved",
  running: "history.running",
  notSent: "history.notSent",
  interrupted: "history.interrupted",
  recovered: "history.recoveredBadge.matched",
  possiblyRecovered: "history.recoveredBadge.uncertain",
} as const;
const NO_IMAGE_LABELS = {
  running: "history.running",
  interrupted: "history.noImage.interrupted",
  notSent: "history.noImage.notSent",
  failed: "history.noImage.failed",
  none: "history.noImage.none",
} as const;

/** The facts a history record keeps that its row is drawn from. */
export interface HistoryRowFacts {
  status: string;
  resolvedBy?: string;
  recovered?: "matched" | "uncertain";
  errorSummary?: string;
  /** Its images did not reach storage: the row says so where the picture would be. */
  imagesNotSaved?: unknown;
}

export function selectHistoryRow(record: HistoryRowFacts): HistoryRowView {
  const tone = historyTone(record.status, record.resolvedBy, record.recovered);
  const open = !record.resolvedBy;
  const status: HistoryRowView["status"] = record.resolvedBy
    ? "resolved"
    : record.status === "running" || record.status === "notSent" || record.status === "interrupted" && !record.recovered
      ? (record.status as "running" | "notSent" | "interrupted")
      : record.status === "interrupted"
        ? record.recovered === "matched" ? "recovered" : "possiblyRecovered"
        : "ended";
  const noImage = record.status === "running" || record.status === "interrupted" || record.status === "notSent" ? record.status : tone === "bad" ? "failed" : "none";
  // A call cut off by a reload ran on without the panel: the gateway may have finished and billed it.
  const note = open && record.status === "interrupted" && !record.recovered
    ? "mayHaveBeenBilled"
    : open && record.status === "notSent"
      ? "notSent"
      : record.errorSummary && tone === "bad" ? "error" : undefined;
  return {
    tone,
    status,
    noImage,
    ...(note ? { note } : {}),
    putBack: open && record.status === "notSent",
    label: status === "ended" ? `phase.${record.status as RequestPhase}` : STATUS_LABELS[status],
    noImageLabel: record.imagesNotSaved ? "history.noImage.notSaved" : NO_IMAGE_LABELS[noImage],
  };
}


/** A row offers ↻ for every request that is no longer running. */
export const canPutBack = (record: { status: string }) => record.status !== "running";
