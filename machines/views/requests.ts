import type { SnapshotFrom } from "xstate";
import type { FailureFacts, GatewayKind, ImageOutput, ImageSource } from "../gatewayCall.ts";
import { FAILURE_HINTS, FAILURE_SENTENCES, type FixKey, type GatewayLabelKey, type HintKey, type ReasonKey, type SentenceKey } from "../labels.ts";
import type { PanelMachine, RequestEntry } from "../panel.machine.ts";
import { FINAL_PHASES, phaseOf, type RequestTarget, type AttemptFailure, type RequestContext, type RequestPhase, type RequestMachine } from "../request.machine.ts";
import { phaseSpans, type PhaseSpan } from "../rules/phaseTimeline.ts";
import type { InputProblem } from "../rules/requestInput.schema.ts";
import type { AnswerEcho, Usage } from "../rules/gatewayAnswers.schema.ts";

/** How a card or the gateway status is coloured: green only for what a call proved. */
export type Tone = "ok" | "warn" | "bad" | "neutral" | "running";

/** Everything the panel shows about one request: plain, JSON-serialisable, no secrets. */
export interface RequestView {
  id: string;
  /** The batch or compare it was sent in. */
  batchId?: string;
  /** The gateway a compare pinned it to. */
  target?: RequestTarget;
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
  outputFormat?: string;
  background?: string;
  /** The seed asked for, where the provider takes one. */
  seed?: number;
  count?: number;
  promptPreview?: string;
  gateway?: { kind: GatewayKind; labelKey: GatewayLabelKey };
  /** The endpoint profile it went through (its id, for a fix made to that profile), by the name it had when the request was made. */
  profileId?: string;
  profileName?: string;
  attempt: number;
  maxAttempts: number;
  createdAt: number;
  elapsedMs: number;
  nextAttemptAt?: number;
  retryInMs?: number;
  outputs: ImageOutput[];
  /** The newest streamed partial while no final image took its place; `cancelled` once the user
   * stopped the stream, `incomplete` once the request ended without its final image otherwise. */
  preview?: { src: ImageSource; cancelled: boolean; incomplete?: true };
  /** Each failed attempt (also those a later attempt made good): for the diagnostics only. */
  attemptFailures: AttemptFailure[];
  usage?: Usage;
  /** What the answer says it made: the viewer shows it beside what was asked. */
  echo?: AnswerEcho;
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
/** A prompt shortened for a card, a result group or a history row's label. */
export const promptPreview = (prompt: string) => (prompt.length > PROMPT_PREVIEW ? `${prompt.slice(0, PROMPT_PREVIEW - 1)}…` : prompt);

/** Failures a setting fixes: their card offers "Open settings" next to the hint. */
const SETTINGS_HINTS: readonly HintKey[] = ["unauthorized", "unauthorizedAuth", "forbidden", "not_found", "invalid_config", "timeout", "network", "key_origin_mismatch"];

export function toneOf(phase: RequestPhase, final: boolean): Tone {
  if (phase === "succeeded") return "ok";
  if (phase === "partiallySucceeded" || phase === "cancelled" || phase === "cancelling") return "warn";
  return final ? "bad" : "running";
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

export type SentenceView = { key: SentenceKey; params?: Record<string, number> };

/** The sentence for what happened, from the failure's code, reason, status and Retry-After only
 * (never its text). `previewArrived`: a streamed preview came before the failure. */
export function failureSentence(error: FailureFacts, timeoutMs?: number, previewArrived = false): SentenceView {
  // A proxy's page (html_page) is not the news: that it gave up, and the request may have run, is.
  if (error.code === "gateway_timeout") {
    if (error.reason === "connection_broke") return { key: "connection_broke" };
    return error.status ? { key: "gateway_timeout", params: { status: error.status } } : { key: "gateway_timeoutNoStatus" };
  }
  if (error.reason === "credential_header") return { key: "credential_header" };
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

const fixFor = (error: NonNullable<RequestContext["error"]>): FixKey | undefined =>
  error.fix ?? (error.code === "gateway_timeout" ? "enableStreaming" : SETTINGS_HINTS.includes(error.hint) ? "openSettings" : undefined);


// The context's error as the card reads it: its own fields plus the hint's text, the fix, the sentence
// and (only from the gateway's own words) the quoted detail.
function errorView(context: RequestContext, timeoutMs: number, previewArrived: boolean): NonNullable<RequestView["error"]> {
  // A key an endpoint profile's provider refused may be sent in the wrong header: that is the likely fix.
  const error = context.error!.code === "unauthorized" && context.endpoint && context.gateway?.kind === "custom" ? { ...context.error!, hint: "unauthorizedAuth" as const } : context.error!;
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

export function selectRequestView(snapshot: SnapshotFrom<RequestMachine>, now: number): RequestView {
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
          ...(input.outputFormat ? { outputFormat: input.outputFormat } : {}),
          ...(input.background ? { background: input.background } : {}),
          ...(input.seed !== undefined ? { seed: input.seed } : {}),
          count: input.n,
          promptPreview: promptPreview(input.prompt),
        }
      : {}),
    ...(context.gateway ? { gateway: { ...context.gateway } } : {}),
    ...(context.target ? { target: { ...context.target } } : {}),
    // A compare column pinned to a profile names it from the start, before it resolves.
    ...((context.gateway?.kind === "custom" || context.target?.profileId !== undefined) && context.endpoint ? { profileId: context.endpoint.profileId, profileName: context.endpoint.profileName } : {}),
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
    ...(context.echo ? { echo: { ...context.echo } } : {}),
    ...(context.streamFallback && context.streamFallback !== "remembered" ? { streamNotice: true as const } : {}),
    ...(context.error ? { error: errorView(context, context.settings.timeoutMs, context.preview !== undefined) } : {}),
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
export function selectRequestViews(snapshot: SnapshotFrom<PanelMachine>, now: number): RequestView[] {
  return snapshot.context.requests.map((entry) => {
    const view = entry.crashed ? crashedView(entry, now) : selectRequestView(entry.ref.getSnapshot(), now);
    return entry.batchId ? { ...view, batchId: entry.batchId } : view;
  });
}

