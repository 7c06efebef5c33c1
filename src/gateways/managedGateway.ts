import { enterpriseGateway } from "@haloforge/plugin-sdk";
import { GatewayResultSchema, type GatewayCallEvent, type RequestInput } from "../../machines/index.ts";
import { answerEvents, failureEvent } from "./answers.ts";
import { toProviderRequest } from "./providerRequest.ts";
import type { PluginGatewayImageEditRequest, PluginGatewayImageRequest } from "@haloforge/plugin-sdk";

/** Whether the host offers its managed gateway (the SDK throws synchronously when it does not). */
export function hasManagedGateway(): boolean {
  try {
    enterpriseGateway();
    return true;
  } catch {
    return false;
  }
}

// The bridge rejects with text only. Read "signed out" from sign-in wording alone: an upstream
// "HTTP 401" (say, a bad server-side token) is the host's failure, not the user's session.
const SIGNED_OUT = /\bsign(?:ed)?[ -]?(?:in|out)\b|\bnot signed\b|\bsession (?:expired|ended)\b/i;
// A rate limit was refused before it ran, so it is safe to retry after the wait it names (if any).
const RATE_LIMITED = /\bHTTP 429\b|\b429 too many requests\b|\brate[ -]?limit/i;
const RETRY_AFTER_SECONDS = /\bretry(?:ing)?[ -](?:after|in)\s+(\d+(?:\.\d+)?)\s*s/i;

/**
 * One attempt through the host-managed gateway. The host holds the session; the plugin only sees
 * the answer. A rejection's cause is unknown to us, so it may have run (no automatic retry).
 */
export async function callManagedGateway(input: RequestInput): Promise<GatewayCallEvent[]> {
  let answer: unknown;
  try {
    const gateway = enterpriseGateway();
    const request = toProviderRequest(input);
    answer = input.operation === "edit"
      ? await gateway.editImages(request as PluginGatewayImageEditRequest)
      : await gateway.generateImages(request as PluginGatewayImageRequest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes("bridge is unavailable")) return [failureEvent({ code: "gateway_unavailable", message, mayHaveRun: false })];
    if (SIGNED_OUT.test(message)) return [failureEvent({ code: "signed_out", message, mayHaveRun: false })];
    if (RATE_LIMITED.test(message)) {
      const seconds = RETRY_AFTER_SECONDS.exec(message)?.[1];
      return [failureEvent({ code: "rate_limited", status: 429, message, mayHaveRun: false, ...(seconds ? { retryAfterMs: Number(seconds) * 1000 } : {}) })];
    }
    return [failureEvent({ code: "server_error", message, mayHaveRun: true })];
  }
  const parsed = GatewayResultSchema.safeParse(answer);
  if (!parsed.success) {
    return [failureEvent({ code: "invalid_response", message: "The host's gateway answered in an unexpected shape.", mayHaveRun: true })];
  }
  return answerEvents(parsed.data, input.outputFormat);
}
