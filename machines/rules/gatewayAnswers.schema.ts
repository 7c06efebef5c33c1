// The answers adapters receive at the boundary, as zod schemas (zod/mini keeps the bundle small),
// and the mapping of a native failure, whose `sent` / `may_have_run` facts come from the Rust side.
// Each schema is built on its first parse (z.lazy): none is needed before the panel's first
// request, and a built zod schema costs about a kilobyte of heap per field.
import * as z from "zod/mini";
import { FAILURE_CODES, FAILURE_REASONS, type FailureCode, type FailureReason, type GatewayFailure } from "../gatewayCall.ts";
import { AnswerEchoSchema, openAiEchoFields } from "./answerEcho.schema.ts";
import { UsageSchema } from "./usage.schema.ts";

export { UsageSchema, type Usage } from "./usage.schema.ts";
export { AnswerEchoSchema, echoFrom, echoOfResult, knownEcho, type AnswerEcho } from "./answerEcho.schema.ts";

const imageDatumSchema = () =>
  z.object({
    url: z.optional(z.string()),
    b64_json: z.optional(z.string()),
    revised_prompt: z.optional(z.string()),
  });


/** `GatewayImageGenerationResult` of the host bridge (what `generateImages` / `editImages` resolve with), also the native `result`. */
export const GatewayResultSchema = z.lazy(() =>
  z.object({
    created: z.optional(z.number()),
    data: z.optional(z.array(imageDatumSchema())),
    hf_output_assets: z.optional(z.array(z.looseObject({ public_url: z.string(), content_type: z.optional(z.string()) }))),
    // A usage object that is not counts is left out, never a reason to drop the images.
    usage: z.catch(z.optional(UsageSchema), undefined),
    // What OpenAI's answers echo of the request (`size`, `quality`, `output_format`, `background`) and a provider's `seed`.
    ...openAiEchoFields(),
  }),
);
export type GatewayResult = z.infer<typeof GatewayResultSchema>;

/** The native backend's error object. `code` is read as any string: a code this version does not
 * know (a newer backend's) still fails clearly, as `internal`. `sent` / `may_have_run` are set by
 * the Rust side where it knows; when absent the request may have run. */
export const NativeErrorSchema = z.lazy(() =>
  z.object({
    code: z.string(),
    message: z.string(),
    sent: z.optional(z.boolean()),
    may_have_run: z.optional(z.boolean()),
    status: z.optional(z.number()),
    retry_after_ms: z.optional(z.number()),
    provider_request_id: z.optional(z.string()),
    /** A finer cause (`stream_cut`, `connection_broke`, …); one this version does not know is ignored. */
    reason: z.optional(z.string()),
    /** The provider's own words, apart from the backend's `message`. */
    provider_message: z.optional(z.string()),
    /** With `unsupported_option`: the request field the provider does not take (one of ours, e.g. `quality`). */
    option: z.optional(z.string().check(z.regex(/^[a-z_]{1,40}$/))),
  }),
);
export type NativeError = z.infer<typeof NativeErrorSchema>;

/** What `generate_images`, `edit_images` and `generate_via_responses` answer. */
export const NativeImageAnswerSchema = z.lazy(() =>
  z.discriminatedUnion("ok", [
    z.looseObject({
      ok: z.literal(true),
      requestId: z.string(),
      providerRequestId: z.optional(z.string()),
      streamFallbackReason: z.optional(z.string()),
      result: GatewayResultSchema,
      /** What the answer says it made; an unreadable one is left out, never a reason to drop the images. */
      echo: z.catch(z.optional(AnswerEchoSchema), undefined),
    }),
    z.looseObject({ ok: z.literal(false), requestId: z.string(), error: NativeErrorSchema }),
  ]),
);
export type NativeImageAnswer = z.infer<typeof NativeImageAnswerSchema>;

/** What `request_progress` answers: the partials newer than `after` (base64 each once). */
export const ProgressAnswerSchema = z.lazy(() =>
  z.object({
    partials: z.optional(z.array(z.object({ seq: z.number(), b64_json: z.string(), outputFormat: z.optional(z.string()) }))),
  }),
);

const isFailureCode = (code: string): code is FailureCode => (FAILURE_CODES as readonly string[]).includes(code);
const isFailureReason = (reason: string | undefined): reason is FailureReason => (FAILURE_REASONS as readonly string[]).includes(reason ?? "");

/** A native error as the request machine's failure. Its message is already redacted natively. */
export function failureFromNativeError(error: NativeError): GatewayFailure {
  const known = isFailureCode(error.code);
  return {
    code: known ? (error.code as FailureCode) : "internal",
    message: error.message,
    ...(isFailureReason(error.reason) ? { reason: error.reason } : {}),
    ...(error.provider_message ? { providerText: error.provider_message } : {}),
    // The option's name is the detail the card quotes: the sentence says what, the name says which.
    ...(error.code === "unsupported_option" && error.option ? { providerText: error.option } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retry_after_ms !== undefined ? { retryAfterMs: error.retry_after_ms } : {}),
    ...(error.provider_request_id ? { providerRequestId: error.provider_request_id } : {}),
    // Only the backend's own facts say "not run"; a code we do not know counts as may have run, and
    // so does a proxy that gave up (it cannot know whether the provider behind it ran the request).
    mayHaveRun: !known || error.code === "gateway_timeout" || (error.sent !== false && error.may_have_run !== false),
  };
}
