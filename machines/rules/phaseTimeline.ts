import type { RequestPhase } from "../request.machine.ts";

/** One stretch of a request's life: its phase, the attempt it belongs to, and how long it took. */
export interface PhaseSpan {
  phase: "queued" | "resolving" | "requesting" | "waitingRetry" | "cancelling";
  /** The attempt running (requesting) or that failed before this wait (waitingRetry). */
  attempt: number;
  ms: number;
}

const SPANNED: readonly RequestPhase[] = ["queued", "resolving", "requesting", "waitingRetry", "cancelling"];

/**
 * The time spent in each phase, from the timestamps the request machine records, up to `end` (the
 * end of the request, or now while it runs). Validation is instant and a final state is a moment:
 * neither gets a span.
 */
export function phaseSpans(timeline: readonly { phase: RequestPhase; at: number; attempt: number }[], end: number): PhaseSpan[] {
  return timeline.flatMap((step, index) =>
    SPANNED.includes(step.phase)
      ? [{ phase: step.phase as PhaseSpan["phase"], attempt: step.attempt, ms: Math.max(0, (timeline[index + 1]?.at ?? end) - step.at) }]
      : [],
  );
}
