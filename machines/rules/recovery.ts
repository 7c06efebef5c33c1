import type { ListedOutput } from "../panel.machine.ts";

/** How long after a request's call went out its images may be saved by the gateway. */
export const RECOVERY_WINDOW_MS = 10 * 60_000;
/** The listing's times have second precision (and another clock): allow this much either side. */
const CLOCK_SLACK_MS = 2_000;

/** What recovery needs of a request that a reload cut off while it ran on the managed gateway. */
export interface InterruptedRequest {
  id: string;
  createdAt: number;
  /** When its managed call went out (records from before this was kept have only `createdAt`). */
  sentAt?: number;
  model: string;
  size: string;
  n: number;
}

/** Any request history knows: the ones that could have made the same outputs. */
export interface KnownRequest extends InterruptedRequest {
  status: string;
  /** The gateway its call went out on; absent when it never went out. */
  gatewayKind?: string;
  /** From creation to its end, when it ended while the panel was open. */
  elapsedMs?: number;
}

export interface RecoveryMatch {
  id: string;
  urls: string[];
  /** "uncertain": another request could have made these images too. */
  certainty: "matched" | "uncertain";
}

const sentAt = (request: InterruptedRequest) => request.sentAt ?? request.createdAt;
const timed = (output: ListedOutput): output is ListedOutput & { createdAt: number } => output.createdAt !== undefined;
const sameModel = (output: ListedOutput, request: { model: string }) => output.model === undefined || output.model === request.model;
const sameSize = (output: ListedOutput, request: { size: string }) => output.size === undefined || output.size === request.size;

/**
 * The outputs one answer saved: the gateway saves an answer's images together, so outputs within
 * the clock slack of the first are one batch. Oldest first.
 */
function batches(outputs: readonly (ListedOutput & { createdAt: number })[]) {
  const sorted = [...outputs].sort((a, b) => a.createdAt - b.createdAt);
  const result: (ListedOutput & { createdAt: number })[][] = [];
  for (const output of sorted) {
    const last = result.at(-1);
    if (last && output.createdAt - last[0]!.createdAt <= CLOCK_SLACK_MS) last.push(output);
    else result.push([output]);
  }
  return result;
}

/**
 * Whether `other` could have made a batch of `count` outputs saved at `at` for `request`: the same
 * model and size, its managed call out before then, and either still unaccounted for (cut off by a
 * reload too, or running now) or ended when the batch was saved; asking for as many images (a request of a
 * different count fits only when ours does not fit exactly either).
 */
function couldHaveMade(other: KnownRequest, request: InterruptedRequest, at: number, count: number) {
  if (other.id === request.id || other.model !== request.model || other.size !== request.size) return false;
  // Only a call that went out on the managed gateway saves outputs there.
  if (other.gatewayKind !== "managed") return false;
  if (sentAt(other) > at + CLOCK_SLACK_MS) return false;
  if (other.n < count || (other.n !== count && request.n === count)) return false;
  // Its end is not known: cut off by a reload too, or still running in this panel.
  if (other.status === "interrupted" || other.status === "running") return true;
  if (other.elapsedMs === undefined) return false;
  return Math.abs(other.createdAt + other.elapsedMs - at) <= CLOCK_SLACK_MS;
}

/**
 * Matches saved gateway outputs to interrupted requests by what is known of each: the model, the
 * size (when the listing names it), the send time (outputs are saved after the call went out and
 * within the window) and the count (an answer's outputs are saved together: a batch of exactly `n`
 * first, else the earliest smaller one, else the first `n` of a larger one). None is given twice.
 * A match is uncertain when the listing names no model, the batch had to be cut, or another
 * request (`others`: every request the history knows) could have made the same batch.
 */
export function matchRecoveredOutputs(
  interrupted: readonly InterruptedRequest[],
  outputs: readonly ListedOutput[],
  others: readonly KnownRequest[],
): RecoveryMatch[] {
  const taken = new Set<string>();
  const matches: RecoveryMatch[] = [];
  for (const request of [...interrupted].sort((a, b) => sentAt(a) - sentAt(b))) {
    const start = sentAt(request);
    const candidates = outputs.filter(
      (output) =>
        timed(output) &&
        !taken.has(output.url) &&
        sameModel(output, request) &&
        sameSize(output, request) &&
        output.createdAt >= start - CLOCK_SLACK_MS &&
        output.createdAt <= start + RECOVERY_WINDOW_MS,
    ) as (ListedOutput & { createdAt: number })[];
    const found = batches(candidates);
    const batch = found.find((group) => group.length === request.n) ?? found.find((group) => group.length < request.n) ?? found[0];
    if (!batch) continue;
    const chosen = batch.slice(0, request.n);
    for (const output of chosen) taken.add(output.url);
    const at = chosen[0]!.createdAt;
    const crowded = others.some((other) => couldHaveMade(other, request, at, chosen.length));
    const unnamed = chosen.some((output) => output.model === undefined);
    const cut = batch.length > request.n;
    matches.push({ id: request.id, urls: chosen.map((output) => output.url), certainty: crowded || unnamed || cut ? "uncertain" : "matched" });
  }
  return matches;
}
