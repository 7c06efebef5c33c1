import type { SnapshotFrom } from "xstate";
import type { GatewayContext, GatewayNotice } from "./gateway.machine.ts";
import type { GatewayKind, ImageOutput } from "./gatewayTypes.ts";
import { FAILURE_HINTS, FAILURE_SENTENCES, type FixKey, type GatewayLabelKey, type HintKey, type ProofKey, type ReasonKey, type SentenceKey } from "./labels.ts";
import type { panelMachine, RequestEntry } from "./panel.machine.ts";
import { FINAL_PHASES, phaseOf, type RequestContext, type RequestPhase, type requestMachine } from "./request.machine.ts";
import { phaseSpans, type PhaseSpan } from "./rules/phaseTimeline.ts";
import type { InputProblem } from "./rules/requestInput.schema.ts";
import type { Usage } from "./rules/gatewayAnswers.schema.ts";

/** How a card or the gateway status is coloured: green only for what a call proved. */
export type Tone = "ok" | "warn" | "bad" | "neutral" | "running";

/** Everything the panel shows about one request: plain, JSON-serialisable, no secrets. */
export interface RequestView {
  id: string;
  phase: RequestPhase;
  final: boolean;
  tone: Tone;
  /** Ended with input that can be sent again (refused input is fixed in the composer instead). */
  retryable: boolean;
  /** The time in each phase, each attempt and each wait before a retry: what the card's phase bar shows. */
  phases: PhaseSpan[];
  /** Set after a cancel of a call the gateway cannot stop: it may still finish and bill. */
  cancelNote?: "mayStillBill";
  operation?: "generate" | "edit";
  model?: string;
  size?: string;
  quality?: string;
  count?: number;
  promptPreview?: string;
  gateway?: { kind: GatewayKind; labelKey: GatewayLabelKey };
  attempt: number;
  maxAttempts: number;
  createdAt: number;
  elapsedMs: number;
  nextAttemptAt?: number;
  retryInMs?: number;
  outputs: ImageOutput[];
  /** The newest streamed partial while no final image took its place; `cancelled` once the user stopped the stream. */
  preview?: { src: string; cancelled: boolean };
  usage?: Usage;
  /** The endpoint answered a streaming request plainly (said once: later calls go out plain). */
  streamNotice?: true;
  error?: {
    code: string;
    summary: string;
    hint: HintKey;
    hintText: string;
    mayHaveBeenBilled: boolean;
    status?: number;
    /** Set for invalid input: each field and the rule it breaks. */
    problems?: InputProblem[];
    /** Set when no gateway was usable: the i18n key of the reason. */
    reason?: ReasonKey;
    /** The one action that fixes it, if any. */
    fix?: FixKey;
    /** What happened, as one sentence: the i18n key `failure.<key>` and its values. Absent for invalid input (its problems say it). */
    sentence?: { key: SentenceKey; params?: Record<string, number> };
    /** The gateway's own (redacted) words, shown only as a quoted detail. */
    detail?: string;
  };
  providerRequestId?: string;
  timeline: { phase: RequestPhase; at: number; attempt: number }[];
}

const PROMPT_PREVIEW = 120;

/** Failures a setting fixes: their card offers "Open settings" next to the hint. */
const SETTINGS_HINTS: readonly HintKey[] = ["unauthorized", "forbidden", "not_found", "invalid_config", "timeout", "network"];

function toneOf(phase: RequestPhase, final: boolean): Tone {
  if (phase === "succeeded") return "ok";
  if (phase === "partiallySucceeded" || phase === "cancelled" || phase === "cancelling") return "warn";
  return final ? "bad" : "running";
}

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
}

export function selectHistoryRow(record: { status: string; resolvedBy?: string; recovered?: "matched" | "uncertain"; errorSummary?: string }): HistoryRowView {
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
  return { tone, status, noImage, ...(note ? { note } : {}), putBack: open && record.status === "notSent" };
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The sentence for what happened, from the failure's code, status and Retry-After only. */
function sentenceOf(error: NonNullable<RequestContext["error"]>, timeoutMs: number): NonNullable<RequestView["error"]>["sentence"] {
  if (error.sentence) return { key: error.sentence };
  switch (error.code) {
    case "validation":
    case "cancelled":
      return undefined;
    case "gateway_unavailable": {
      const reason = error.reason === "signedOut" ? "signed_out" : error.reason;
      return { key: reason && Object.hasOwn(FAILURE_SENTENCES, reason) ? (reason as SentenceKey) : "noGateway" };
    }
    case "rate_limited":
      return error.retryAfterMs ? { key: "rate_limitedWait", params: { seconds: seconds(error.retryAfterMs) } } : { key: "rate_limited" };
    case "server_error":
      return error.status ? { key: "server_errorStatus", params: { status: error.status } } : { key: "server_error" };
    case "timeout":
      return { key: "timeout", params: { seconds: seconds(timeoutMs) } };
    default:
      return { key: error.code };
  }
}

const fixFor = (error: NonNullable<RequestContext["error"]>): FixKey | undefined => error.fix ?? (SETTINGS_HINTS.includes(error.hint) ? "openSettings" : undefined);


// The context's error as the card reads it: its own fields plus the hint's text, the fix, the sentence
// and (only from the gateway's own words) the quoted detail.
function errorView(error: NonNullable<RequestContext["error"]>, timeoutMs: number): NonNullable<RequestView["error"]> {
  // The wait and the sentence key are said by the sentence; `fromGateway` becomes the quoted detail.
  const { retryAfterMs, fromGateway, sentence: sentenceKey, problems, ...rest } = error;
  const fix = fixFor(error);
  const sentence = sentenceOf(error, timeoutMs);
  return {
    ...rest,
    hintText: FAILURE_HINTS[error.hint],
    ...(problems ? { problems: problems.map((problem) => ({ ...problem })) } : {}),
    ...(fix ? { fix } : {}),
    ...(sentence ? { sentence } : {}),
    ...(fromGateway ? { detail: error.summary } : {}),
  };
}

export function selectRequestView(snapshot: SnapshotFrom<typeof requestMachine>, now: number): RequestView {
  const context: RequestContext = snapshot.context;
  const phase = phaseOf(snapshot);
  const final = FINAL_PHASES.includes(phase);
  const input = context.input;
  const end = context.endedAt ?? now;
  return {
    id: context.id,
    phase,
    final,
    tone: toneOf(phase, final),
    retryable: final && input !== undefined,
    phases: phaseSpans(context.timeline, end),
    ...(context.cancelledAt !== undefined && context.gateway?.kind === "managed" ? { cancelNote: "mayStillBill" as const } : {}),
    ...(input
      ? {
          operation: input.operation,
          model: input.model,
          size: input.size,
          ...(input.quality ? { quality: input.quality } : {}),
          count: input.n,
          promptPreview: preview(input.prompt),
        }
      : {}),
    ...(context.gateway ? { gateway: { ...context.gateway } } : {}),
    attempt: context.attempt,
    maxAttempts: context.settings.maxRetries + 1,
    createdAt: context.createdAt,
    elapsedMs: Math.max(0, end - context.createdAt),
    ...(phase === "waitingRetry" && context.nextAttemptAt !== undefined
      ? { nextAttemptAt: context.nextAttemptAt, retryInMs: Math.max(0, context.nextAttemptAt - now) }
      : {}),
    outputs: context.outputs.map((output) => ({ ...output })),
    ...(context.preview && context.outputs.length < (input?.n ?? 1) ? { preview: { src: context.preview.src, cancelled: phase === "cancelled" } } : {}),
    ...(context.usage ? { usage: context.usage } : {}),
    ...(context.streamFallback && context.streamFallback !== "remembered" ? { streamNotice: true as const } : {}),
    ...(context.error ? { error: errorView(context.error, context.settings.timeoutMs) } : {}),
    ...(context.providerRequestId ? { providerRequestId: context.providerRequestId } : {}),
    timeline: context.timeline.map((step) => ({ ...step })),
  };
}

/** A request whose actor crashed: failed, with its last known facts, retryable and removable. */
function crashedView(entry: RequestEntry, now: number): RequestView {
  const view = selectRequestView(entry.ref.getSnapshot(), now);
  const error = {
    code: "internal",
    summary: entry.crashed!,
    hint: "interrupted" as const,
    hintText: FAILURE_HINTS.interrupted,
    mayHaveBeenBilled: view.attempt > 0,
    sentence: { key: "interrupted" as const },
    detail: entry.crashed!,
  };
  return { ...view, phase: "failed", final: true, tone: "bad", retryable: entry.input !== undefined, error };
}

/** Views of every request of the panel, oldest first. */
export function selectRequestViews(snapshot: SnapshotFrom<typeof panelMachine>, now: number): RequestView[] {
  return snapshot.context.requests.map((entry) => (entry.crashed ? crashedView(entry, now) : selectRequestView(entry.ref.getSnapshot(), now)));
}

/** What the gateway status line shows: the chosen gateway, why, and what is proven about it. */
export type GatewayStatusView =
  | { status: "available"; tone: Tone; labelKey: GatewayLabelKey; reason: ReasonKey; proof: ProofKey; fix?: FixKey }
  | { status: "unavailable"; tone: "bad"; reason: ReasonKey; fix: FixKey };

export function selectGatewayStatus(context: GatewayContext, probing: boolean): GatewayStatusView {
  const { resolution } = context;
  if (resolution.status === "unavailable") return { ...resolution, tone: "bad" };
  const base = { status: "available" as const, labelKey: resolution.labelKey, reason: resolution.reason };
  switch (resolution.kind) {
    case "mock":
      return { ...base, tone: "ok", proof: "mock" };
    case "custom":
      return context.customVerified ? { ...base, tone: "ok", proof: "customVerified" } : { ...base, tone: "neutral", proof: "customUntried" };
    case "managed":
      if (context.host.managed === "verified") return { ...base, tone: "ok", proof: "sessionVerified" };
      return { ...base, tone: "neutral", proof: probing ? "sessionChecking" : "sessionUnknown" };
  }
}

export type { GatewayNotice };

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
  gatewayLabelKey?: GatewayLabelKey;
  images: ImageOutput[];
  usage?: Usage;
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
  gatewayLabelKey?: GatewayLabelKey;
  images: ImageOutput[];
  /** Images still on their way (placeholders), while the request runs. */
  pending: number;
  /** Shown in the first placeholder's place: the request's newest partial. */
  preview?: RequestView["preview"];
  usage?: Usage;
  /** Set when fewer images arrived than were asked for: how many of how many, and why (the failure's sentence). */
  partial?: { received: number; expected: number; why?: NonNullable<RequestView["error"]>["sentence"] };
  /** From history: the request ended before this panel was opened. */
  recorded?: true;
}

const preview = (prompt: string) => (prompt.length > PROMPT_PREVIEW ? `${prompt.slice(0, PROMPT_PREVIEW - 1)}…` : prompt);
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
        ...(view.gateway ? { gatewayLabelKey: view.gateway.labelKey } : {}),
        images: view.outputs,
        pending: view.final ? 0 : Math.max(0, expected - received - (view.preview ? 1 : 0)),
        ...(view.preview ? { preview: view.preview } : {}),
        ...(view.usage ? { usage: view.usage } : {}),
        ...(view.final && received < expected ? { partial: { received, expected, ...(view.error?.sentence ? { why: view.error.sentence } : {}) } } : {}),
      };
    });
  const shown = new Set(views.map((view) => view.id));
  const past = recorded
    .filter((record) => !shown.has(record.id) && record.images.length > 0 && inResults(record))
    .map((record): ResultGroup => ({
      id: record.id,
      createdAt: record.createdAt,
      promptPreview: preview(record.prompt),
      model: record.model,
      size: record.size,
      ...(record.quality ? { quality: record.quality } : {}),
      ...(record.gatewayLabelKey ? { gatewayLabelKey: record.gatewayLabelKey } : {}),
      images: record.images,
      ...(record.usage ? { usage: record.usage } : {}),
      pending: 0,
      ...(record.images.length < record.count ? { partial: { received: record.images.length, expected: record.count } } : {}),
      recorded: true,
    }));
  return [...live, ...past].sort((a, b) => b.createdAt - a.createdAt);
}
