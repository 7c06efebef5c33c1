import { enterpriseGateway } from "@haloforge/plugin-sdk";
import * as z from "zod/mini";
import { GatewayResultSchema, OPENAI_FIELDS, withoutRefusedFields, type GatewayCallEvent, type GatewayFailure, type ListedOutput, type ProbeAnswer, type RequestInput } from "../../machines/index.ts";
import { answerEvents, failureEvent } from "./answers.ts";
import { safeImageSource } from "./outputUrl.ts";
import { toProviderRequest, UNREADABLE_IMAGES } from "./providerRequest.ts";
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

type Rejection = Omit<GatewayFailure, "message" | "providerText">;

/**
 * The bridge rejects with text only, so this one table maps its rejections, first match wins.
 * "Signed out" is read from sign-in wording alone: an upstream "HTTP 401" (a bad server-side
 * token) is the host's failure, not the user's session. A rate limit was refused before it ran.
 * Anything not in the table may have run.
 */
const REJECTIONS: readonly { pattern: RegExp; failure: (message: string) => Rejection }[] = [
  { pattern: /bridge is unavailable/, failure: () => ({ code: "gateway_unavailable", mayHaveRun: false }) },
  { pattern: /\bsign(?:ed)?[ -]?(?:in|out)\b|\bnot signed\b|\bsession (?:expired|ended)\b/i, failure: () => ({ code: "signed_out", mayHaveRun: false }) },
  {
    pattern: /\bHTTP 429\b|\b429 too many requests\b|\brate[ -]?limit/i,
    failure: (message) => {
      const seconds = /\bretry(?:ing)?[ -](?:after|in)\s+(\d+(?:\.\d+)?)\s*s/i.exec(message)?.[1];
      return { code: "rate_limited", status: 429, mayHaveRun: false, ...(seconds ? { retryAfterMs: Number(seconds) * 1000 } : {}) };
    },
  },
];

/** A bridge rejection (or a throw) as a failure, through the table above. */
export function managedFailure(error: unknown): GatewayFailure {
  const message = error instanceof Error ? error.message : String(error);
  const known = REJECTIONS.find((rejection) => rejection.pattern.test(message));
  const failure: Rejection = known ? known.failure(message) : { code: "server_error", mayHaveRun: true };
  // The host's own words are quoted on the card, except where the panel says it all (signed out, no bridge).
  const quoted = failure.code !== "signed_out" && failure.code !== "gateway_unavailable";
  return { message, ...failure, ...(quoted ? { providerText: message } : {}) };
}

/**
 * One attempt through the host-managed gateway. The host holds the session; the plugin only sees
 * the answer.
 */
export async function callManagedGateway(input: RequestInput): Promise<GatewayCallEvent[]> {
  let request: Awaited<ReturnType<typeof toProviderRequest>>;
  try {
    // OpenAI's fields only: a compare's item can carry a profile's seed or negative prompt.
    request = withoutRefusedFields(await toProviderRequest(input), OPENAI_FIELDS) as typeof request;
  } catch {
    return [failureEvent(UNREADABLE_IMAGES)];
  }
  let answer: unknown;
  try {
    const gateway = enterpriseGateway();
    answer = input.operation === "edit"
      ? await gateway.editImages(request as PluginGatewayImageEditRequest)
      : await gateway.generateImages(request as PluginGatewayImageRequest);
  } catch (error) {
    return [failureEvent(managedFailure(error))];
  }
  const parsed = GatewayResultSchema.safeParse(answer);
  if (!parsed.success) {
    return [failureEvent({ code: "invalid_response", message: "The host's gateway answered in an unexpected shape.", mayHaveRun: true })];
  }
  return answerEvents(parsed.data, input.outputFormat);
}

// Built on the first probe's answer (z.lazy), not at the panel's evaluation.
const ListingSchema = z.lazy(() =>
  z.object({
    outputs: z.array(z.looseObject({ public_url: z.string(), model: z.optional(z.nullable(z.string())), created_at: z.optional(z.nullable(z.string())), width: z.optional(z.nullable(z.number())), height: z.optional(z.nullable(z.number())) })),
  }),
);

/** How many saved outputs a probe lists: enough to recover a few interrupted requests. */
export const PROBE_LISTING_LIMIT = 20;

/**
 * The free session probe: the bridge's saved-output listing goes through the same host session
 * and bills nothing. A success proves the session, a sign-in refusal proves signed out; anything
 * else (a throw, another refusal, a malformed answer) proves nothing.
 */
export async function probeManagedSession(limit = PROBE_LISTING_LIMIT): Promise<ProbeAnswer> {
  let answer: unknown;
  try {
    answer = await enterpriseGateway().listOutputs(limit);
  } catch (error) {
    return { fact: managedFailure(error).code === "signed_out" ? "signedOut" : "unknown" };
  }
  const parsed = ListingSchema.safeParse(answer);
  if (!parsed.success) return { fact: "unknown" };
  const outputs: ListedOutput[] = [];
  for (const asset of parsed.data.outputs) {
    const url = safeImageSource(asset.public_url);
    if (!url) continue;
    const createdAt = asset.created_at ? Date.parse(asset.created_at) : Number.NaN;
    const size = asset.width && asset.height ? `${asset.width}x${asset.height}` : undefined;
    outputs.push({ url, ...(asset.model ? { model: asset.model } : {}), ...(Number.isFinite(createdAt) ? { createdAt } : {}), ...(size ? { size } : {}) });
  }
  return { fact: "verified", outputs };
}
