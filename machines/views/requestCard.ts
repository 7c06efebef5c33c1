import type { FixKey, HintKey } from "../labels.ts";
import type { InputProblem } from "../rules/requestInput.schema.ts";
import { fixAction, type FixAction } from "./fixActions.ts";
import type { RequestView, SentenceView, Tone } from "./requests.ts";

/** What a request card shows beyond the view's own facts: its words and its one action. */
export interface RequestCardView {
  /** The badge's and the card's colour; none while it runs. */
  tone?: Exclude<Tone, "running">;
  /** Under the gateway's name: the retry countdown, "queued", or the attempt once there is more than one or it runs. */
  progress?: { key: "requests.retryIn"; attempt: number; max: number; inMs: number } | { key: "requests.queued" } | { key: "requests.attempt"; attempt: number; max: number };
  /** Set when the card shows its error (a cancel says it by its phase alone). */
  error?: {
    /** What happened, said once: the broken input rules, or one sentence from the failure's facts. */
    summary?: { problems: InputProblem[] } | { sentence: SentenceView };
    /** The one action line once the request ended (while it waits to retry, the panel acts itself):
     * a button when it fixes something, else the hint's words. */
    action?: { label: `fix.${FixKey}` | `hint.${HintKey}`; fix?: FixAction };
    /** The provider's or host gateway's own words, quoted. */
    detail?: string;
    mayHaveBeenBilled: boolean;
  };
  /** Its buttons: cancel while it runs (not once a managed cancel was asked for), retry once ended. */
  canCancel: boolean;
  retry?: "requests.runAgain" | "requests.retry";
  canRemove: boolean;
}

function progressOf(view: RequestView): RequestCardView["progress"] {
  if (view.retryInMs !== undefined) return { key: "requests.retryIn", attempt: view.attempt + 1, max: view.maxAttempts, inMs: view.retryInMs };
  if (view.phase === "queued") return { key: "requests.queued" };
  if (view.attempt > 1 || view.phase === "requesting") return { key: "requests.attempt", attempt: view.attempt, max: view.maxAttempts };
  return undefined;
}

// A setting's hint ("Check the API key in settings") is itself the button that opens settings;
// with no usable gateway the fix says which way out.
function actionOf(view: RequestView, error: NonNullable<RequestView["error"]>): NonNullable<RequestCardView["error"]>["action"] {
  if (!view.final) return undefined;
  if (!error.fix) return { label: `hint.${error.hint}` };
  const label = error.fix === "openSettings" && error.code !== "gateway_unavailable" ? (`hint.${error.hint}` as const) : (`fix.${error.fix}` as const);
  return { label, fix: fixAction(error.fix) };
}

export function selectRequestCard(view: RequestView): RequestCardView {
  const { error } = view;
  return {
    tone: view.tone === "running" ? undefined : view.tone,
    progress: progressOf(view),
    error:
      error && view.phase !== "cancelled"
        ? {
            summary: error.problems ? { problems: error.problems } : error.sentence ? { sentence: error.sentence } : undefined,
            action: actionOf(view, error),
            detail: error.detail,
            mayHaveBeenBilled: error.mayHaveBeenBilled && view.final,
          }
        : undefined,
    canCancel: !view.final && view.phase !== "cancelling",
    retry: view.retryable ? (view.phase === "succeeded" ? "requests.runAgain" : "requests.retry") : undefined,
    canRemove: view.final,
  };
}
