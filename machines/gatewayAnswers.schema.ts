// The answers adapters receive at the boundary, as zod schemas (zod/mini keeps the bundle small),
// and the one place that decides whether a native failure certainly did not run at the provider.
import * as z from "zod/mini";
import { FAILURE_CODES, type GatewayFailure } from "./gatewayTypes.ts";

const ImageDatumSchema = z.object({
  url: z.optional(z.string()),
  b64_json: z.optional(z.string()),
  revised_prompt: z.optional(z.string()),
});

/** `GatewayImageGenerationResult` of the host bridge (HOST-CONTRACT.md §1.3), also the native `result`. */
export const GatewayResultSchema = z.object({
  created: z.optional(z.number()),
  data: z.optional(z.array(ImageDatumSchema)),
  hf_output_assets: z.optional(z.array(z.looseObject({ public_url: z.string(), content_type: z.optional(z.string()) }))),
});
export type GatewayResult = z.infer<typeof GatewayResultSchema>;

/** The native backend's error object (issue 5 §3). */
export const NativeErrorSchema = z.object({
  code: z.enum(FAILURE_CODES),
  message: z.string(),
  status: z.optional(z.number()),
  retry_after_ms: z.optional(z.number()),
  provider_request_id: z.optional(z.string()),
});
export type NativeError = z.infer<typeof NativeErrorSchema>;

/** What `generate_images`, `edit_images` and `generate_via_responses` answer. */
export const NativeImageAnswerSchema = z.discriminatedUnion("ok", [
  z.looseObject({ ok: z.literal(true), requestId: z.string(), providerRequestId: z.optional(z.string()), result: GatewayResultSchema }),
  z.looseObject({ ok: z.literal(false), requestId: z.string(), error: NativeErrorSchema }),
]);
export type NativeImageAnswer = z.infer<typeof NativeImageAnswerSchema>;

// The native side says "Could not connect" only for refused connections, DNS and TLS failures:
// nothing reached the provider (native/plugin/src/openai.rs, transport_error).
const NOT_SENT = /^Could not connect/;

/** Codes the provider answers without running the request (or that never left the plugin). */
const REFUSED: readonly NativeError["code"][] = ["invalid_request", "unauthorized", "forbidden", "not_found", "payload_too_large", "invalid_config"];

/** Whether the provider certainly did not run the request that failed this way. */
function certainlyNotRun(error: NativeError): boolean {
  if (REFUSED.includes(error.code) || error.code === "rate_limited") return true;
  if (error.code === "server_error") return error.status === 503;
  return error.code === "network" && NOT_SENT.test(error.message);
}

/** A native error as the request machine's failure. Its message is already redacted natively. */
export function failureFromNativeError(error: NativeError): GatewayFailure {
  return {
    code: error.code,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retry_after_ms !== undefined ? { retryAfterMs: error.retry_after_ms } : {}),
    ...(error.provider_request_id ? { providerRequestId: error.provider_request_id } : {}),
    mayHaveRun: !certainlyNotRun(error),
  };
}
