import type { ListedOutput } from "../panel.machine.ts";

/** How long after a request started its images may be saved by the gateway. */
export const RECOVERY_WINDOW_MS = 10 * 60_000;
/** The listing's times have second precision (and another clock): allow this much before the start. */
const CLOCK_SLACK_MS = 2_000;

/** What recovery needs of a request that a reload cut off while it ran on the managed gateway. */
export interface InterruptedRequest {
  id: string;
  createdAt: number;
  model: string;
  n: number;
}

export interface RecoveryMatch {
  id: string;
  urls: string[];
  /** "uncertain": another request could have made these images too. */
  certainty: "matched" | "uncertain";
}

const inWindow = (output: ListedOutput, request: { createdAt: number }) =>
  output.createdAt !== undefined && output.createdAt >= request.createdAt - CLOCK_SLACK_MS && output.createdAt <= request.createdAt + RECOVERY_WINDOW_MS;
const sameModel = (output: ListedOutput, request: { model: string }) => output.model === undefined || output.model === request.model;

/**
 * Matches saved gateway outputs to interrupted requests by time window and model: at most `n`
 * outputs each, the earliest after the request started, none given twice. A match is uncertain
 * when any other request of the same model (`others`: every request the history knows) started
 * within the window, or the listing names no model.
 */
export function matchRecoveredOutputs(
  interrupted: readonly InterruptedRequest[],
  outputs: readonly ListedOutput[],
  others: readonly { id: string; createdAt: number; model: string }[],
): RecoveryMatch[] {
  const taken = new Set<string>();
  const matches: RecoveryMatch[] = [];
  for (const request of [...interrupted].sort((a, b) => a.createdAt - b.createdAt)) {
    const candidates = outputs
      .filter((output) => !taken.has(output.url) && sameModel(output, request) && inWindow(output, request))
      .sort((a, b) => a.createdAt! - b.createdAt!)
      .slice(0, request.n);
    if (candidates.length === 0) continue;
    for (const output of candidates) taken.add(output.url);
    const crowded = others.some((other) => other.id !== request.id && other.model === request.model && Math.abs(other.createdAt - request.createdAt) <= RECOVERY_WINDOW_MS);
    const unnamed = candidates.some((output) => output.model === undefined);
    matches.push({ id: request.id, urls: candidates.map((output) => output.url), certainty: crowded || unnamed ? "uncertain" : "matched" });
  }
  return matches;
}
