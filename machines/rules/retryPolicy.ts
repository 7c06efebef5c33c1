import type { GatewayFailure } from "../gatewayCall.ts";

// Image generation is billed per image: retry on our own only when the provider certainly did
// not run the request. Everything that may have run ends as failed with a one-click retry.

export const RETRY_DEFAULTS = {
  maxRetries: 2,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  /** A Retry-After longer than this is not waited for: the request fails with the rate-limit hint
   * instead of sitting in "waiting" for minutes. */
  maxRetryAfterMs: 120_000,
} as const;

export function isAutomaticallyRetryable(failure: GatewayFailure): boolean {
  // A proxy that gave up says nothing about the provider behind it, which may have run and billed it.
  if (failure.mayHaveRun || failure.code === "gateway_timeout") return false;
  if ((failure.retryAfterMs ?? 0) > RETRY_DEFAULTS.maxRetryAfterMs) return false;
  if (failure.code === "rate_limited") return true;
  if (failure.code === "server_error") return failure.status === 503;
  // Connection refused, DNS or TLS failure before anything was sent.
  return failure.code === "network";
}

/** "May have been billed": read from the failure's own fact, set where it was known; a proxy that
 * gave up always may have let the provider run it. */
export function mayHaveBeenBilled(failure: GatewayFailure): boolean {
  return failure.mayHaveRun || failure.code === "gateway_timeout";
}

/**
 * Delay before retry number `retry` (1-based): exponential backoff with full jitter, but never
 * sooner than the provider's Retry-After.
 */
export function retryDelayMs(
  retry: number,
  failure: GatewayFailure,
  random: () => number,
  policy: { baseDelayMs: number; maxDelayMs: number } = RETRY_DEFAULTS,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, failure.retryAfterMs ?? 0);
}
