import type { SnapshotFrom } from "xstate";
import type { GatewayContext, GatewayNotice } from "./gateway.machine.ts";
import type { FailureFacts, GatewayKind, ImageOutput } from "./gatewayCall.ts";
import { FAILURE_HINTS, FAILURE_SENTENCES, type FixKey, type GatewayLabelKey, type HintKey, type ProofKey, type ReasonKey, type SentenceKey } from "./labels.ts";
import type { panelMachine, RequestEntry } from "./panel.machine.ts";
import { FINAL_PHASES, phaseOf, type AttemptFailure, type RequestContext, type RequestPhase, type requestMachine } from "./request.machine.ts";
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
  /** The newest streamed partial while no final image took its place; `cancelled` once the user
   * stopped the stream, `incomplete` once the request ended without its final image otherwise. */
  preview?: { src: string; cancelled: boolean; incomplete?: true };
  /** Each failed attempt (also those a later attempt made good): for the diagnostics only. */
  attemptFailures: AttemptFailure[];
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
    /** The provider's or host gateway's own (redacted) words, shown only as a quoted detail. */
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

export type SentenceView = { key: SentenceKey; params?: Record<string, number> };

/** The sentence for what happened, from the failure's code, reason, status and Retry-After only
 * (never its text). `previewArrived`: a streamed preview came before the failure. */
export function failureSentence(error: FailureFacts, timeoutMs?: number, previewArrived = false): SentenceView {
  if (error.reason === "stream_cut") return { key: previewArrived ? "stream_cutAfterPreview" : "stream_cut" };
  if (error.reason === "connection_broke") return { key: "connection_broke" };
  if (error.reason === "no_image") return { key: "noImage" };
  if (error.reason === "insecure_url" || error.reason === "redirect") return { key: error.reason };
  if ((error.reason === "html_page" || error.reason === "not_json") && error.status) return { key: error.reason, params: { status: error.status } };
  switch (error.code) {
    case "rate_limited":
      return error.retryAfterMs ? { key: "rate_limitedWait", params: { seconds: seconds(error.retryAfterMs) } } : { key: "rate_limited" };
    case "server_error":
      return error.status ? { key: "server_errorStatus", params: { status: error.status } } : { key: "server_error" };
    case "timeout":
      return timeoutMs ? { key: "timeout", params: { seconds: seconds(timeoutMs) } } : { key: "timeoutNoTime" };
    case "gateway_unavailable":
      return { key: "noGateway" };
    default:
      return { key: error.code };
  }
}

function sentenceOf(error: NonNullable<RequestContext["error"]>, timeoutMs: number, previewArrived: boolean): NonNullable<RequestView["error"]>["sentence"] {
  if (error.sentence) return { key: error.sentence };
  switch (error.code) {
    case "validation":
    case "cancelled":
      return undefined;
    case "gateway_unavailable": {
      const reason = error.reason === "signedOut" ? "signed_out" : error.reason;
      return { key: reason && Object.hasOwn(FAILURE_SENTENCES, reason) ? (reason as SentenceKey) : "noGateway" };
    }
    default:
      return failureSentence(
        { code: error.code, ...(error.status !== undefined ? { status: error.status } : {}), ...(error.retryAfterMs ? { retryAfterMs: error.retryAfterMs } : {}), ...(error.cause ? { reason: error.cause } : {}) },
        timeoutMs,
        previewArrived,
      );
  }
}

const fixFor = (error: NonNullable<RequestContext["error"]>): FixKey | undefined => error.fix ?? (SETTINGS_HINTS.includes(error.hint) ? "openSettings" : undefined);


// The context's error as the card reads it: its own fields plus the hint's text, the fix, the sentence
// and (only from the gateway's own words) the quoted detail.
function errorView(error: NonNullable<RequestContext["error"]>, timeoutMs: number, previewArrived: boolean): NonNullable<RequestView["error"]> {
  // The wait, the reason and the sentence key are said by the sentence; `detail` (the provider's words) is quoted.
  const { retryAfterMs, cause, sentence: sentenceKey, problems, ...rest } = error;
  const fix = fixFor(error);
  const sentence = sentenceOf(error, timeoutMs, previewArrived);
  return {
    ...rest,
    hintText: FAILURE_HINTS[error.hint],
    ...(problems ? { problems: problems.map((problem) => ({ ...problem })) } : {}),
    ...(fix ? { fix } : {}),
    ...(sentence ? { sentence } : {}),
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
    ...(context.preview && context.outputs.length < (input?.n ?? 1)
      ? { preview: { src: context.preview.src, cancelled: phase === "cancelled", ...(final && phase !== "cancelled" ? { incomplete: true as const } : {}) } }
      : {}),
    attemptFailures: context.attemptFailures.map((failure) => ({ ...failure })),
    ...(context.usage ? { usage: context.usage } : {}),
    ...(context.streamFallback && context.streamFallback !== "remembered" ? { streamNotice: true as const } : {}),
    ...(context.error ? { error: errorView(context.error, context.settings.timeoutMs, context.preview !== undefined) } : {}),
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
    // The thrown text is ours (a bug), not the provider's: it stays in the summary for the log.
    sentence: { key: "interrupted" as const },
  };
  return { ...view, phase: "failed", final: true, tone: "bad", retryable: entry.input !== undefined, error };
}

/** Views of every request of the panel, oldest first. */
export function selectRequestViews(snapshot: SnapshotFrom<typeof panelMachine>, now: number): RequestView[] {
  return snapshot.context.requests.map((entry) => (entry.crashed ? crashedView(entry, now) : selectRequestView(entry.ref.getSnapshot(), now)));
}

/**
 * What the gateway status line shows: the chosen gateway, why, and what is proven about it.
 * `failure`: the custom endpoint's newest failure, worded from its facts. `alternative`: a second
 * way in, offered to a signed-out user with no custom endpoint.
 */
export type GatewayStatusView =
  | { status: "available"; tone: Tone; labelKey: GatewayLabelKey; reason: ReasonKey; proof: ProofKey; fix?: FixKey; failure?: SentenceView; alternative?: FixKey }
  | { status: "unavailable"; tone: "bad"; reason: ReasonKey; fix: FixKey; alternative?: FixKey };

const SIGNED_OUT_REASONS: readonly ReasonKey[] = ["signedOut", "mockSignedOut"];

export function selectGatewayStatus(context: GatewayContext, probing: boolean): GatewayStatusView {
  const { resolution } = context;
  // Signed out and no custom endpoint: that is the other way in.
  const alternative = SIGNED_OUT_REASONS.includes(resolution.reason) && !(context.custom.baseUrl && context.custom.valid) ? { alternative: "useCustomEndpoint" as const } : {};
  if (resolution.status === "unavailable") return { ...resolution, tone: "bad", ...alternative };
  const base = { status: "available" as const, labelKey: resolution.labelKey, reason: resolution.reason };
  switch (resolution.kind) {
    case "mock":
      // The mock stands in because the user is signed out: said, with the way to look again.
      if (resolution.reason === "mockSignedOut") return { ...base, tone: "neutral", proof: "mock", fix: "signIn", ...alternative };
      return { ...base, tone: "ok", proof: "mock" };
    case "custom":
      switch (context.customFact.state) {
        case "working":
          return { ...base, tone: "ok", proof: "customVerified" };
        case "keyRefused":
          return { ...base, tone: "bad", proof: "customKeyRefused", fix: "openSettings" };
        case "failing":
          return { ...base, tone: "warn", proof: "customFailing", failure: failureSentence(context.customFact.failure) };
        default:
          return { ...base, tone: "neutral", proof: "customUntried" };
      }
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
  /** Images still on their way, numbered among all the request asked for (placeholders), while it runs. */
  placeholders: { index: number; total: number }[];
  /** Shown in the first placeholder's place: the request's newest partial. */
  preview?: RequestView["preview"];
  usage?: Usage;
  /** Set when fewer images arrived than were asked for: how many of how many, and why (the failure's sentence). */
  partial?: { received: number; expected: number; why?: NonNullable<RequestView["error"]>["sentence"] };
  /** From history: the request ended before this panel was opened. */
  recorded?: true;
}

/** Image numbers after the `shown` ones (images and a preview) up to `total`, e.g. 2 of 2. */
const placeholders = (shown: number, total: number) => Array.from({ length: Math.max(0, total - shown) }, (_, slot) => ({ index: shown + slot + 1, total }));
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
        placeholders: view.final ? [] : placeholders(received + (view.preview ? 1 : 0), expected),
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
      placeholders: [],
      ...(record.images.length < record.count ? { partial: { received: record.images.length, expected: record.count } } : {}),
      recorded: true,
    }));
  return [...live, ...past].sort((a, b) => b.createdAt - a.createdAt);
}
