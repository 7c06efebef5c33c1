/** A finished request as the estimate reads it (a history record has these fields). */
export interface TimedRequest {
  status: string;
  model: string;
  size: string;
  quality?: string;
  elapsedMs?: number;
}

/** Fewer succeeded requests than this with the same options say nothing about the next one. */
export const MIN_SAMPLES = 3;
const NEWEST = 20;

/**
 * How long a request with these options usually takes: the median elapsed time of the newest
 * succeeded requests with the same model, size and quality (`records` newest first), or undefined
 * with fewer than `MIN_SAMPLES` of them.
 */
export function usualDurationMs(records: readonly TimedRequest[], options: Pick<TimedRequest, "model" | "size" | "quality">): number | undefined {
  const samples: number[] = [];
  for (const record of records) {
    if (samples.length === NEWEST) break;
    if (record.status === "succeeded" && record.elapsedMs !== undefined && record.model === options.model && record.size === options.size && record.quality === options.quality) samples.push(record.elapsedMs);
  }
  if (samples.length < MIN_SAMPLES) return undefined;
  samples.sort((a, b) => a - b);
  const middle = samples.length >> 1;
  return samples.length % 2 ? samples[middle] : (samples[middle - 1]! + samples[middle]!) / 2;
}

/**
 * The usual duration in whole seconds as the card says it, or "underOne" below a second: a
 * rounded "about 0 s" would say the request takes no time at all.
 */
export const usualSeconds = (ms: number): number | "underOne" => (ms < 1_000 ? "underOne" : Math.round(ms / 1_000));
