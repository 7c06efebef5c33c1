import * as z from "zod/mini";
import { FAILURE_CODES, redact, type GatewayCallEvent, type GatewayFailure, type ImageOutput } from "../../machines/index.ts";
import { base64ToDataUrl, safeImageSource } from "./outputUrl.ts";

// The shapes we accept from the host bridge and from the native backend, parsed at the boundary.

const ImageDatum = z.object({
  url: z.optional(z.string()),
  b64_json: z.optional(z.string()),
  revised_prompt: z.optional(z.string()),
});

export const GatewayResultSchema = z.object({
  created: z.optional(z.number()),
  data: z.optional(z.array(ImageDatum)),
  hf_output_assets: z.optional(z.array(z.looseObject({ public_url: z.string(), content_type: z.optional(z.string()) }))),
});
export type GatewayResult = z.infer<typeof GatewayResultSchema>;

export const NativeImageAnswerSchema = z.discriminatedUnion("ok", [
  z.looseObject({
    ok: z.literal(true),
    requestId: z.string(),
    providerRequestId: z.optional(z.string()),
    result: GatewayResultSchema,
  }),
  z.looseObject({
    ok: z.literal(false),
    requestId: z.string(),
    error: z.object({
      code: z.enum(FAILURE_CODES),
      message: z.string(),
      status: z.optional(z.number()),
      retry_after_ms: z.optional(z.number()),
      provider_request_id: z.optional(z.string()),
    }),
  }),
]);

/** Images of a gateway answer, each validated; unusable entries are dropped and counted. */
export function outputsOf(result: GatewayResult, outputFormat = "png"): { outputs: ImageOutput[]; rejected: number } {
  const outputs: ImageOutput[] = [];
  let rejected = 0;
  for (const datum of result.data ?? []) {
    const src = datum.b64_json ? safeImageSource(base64ToDataUrl(datum.b64_json, outputFormat)) : datum.url ? safeImageSource(datum.url) : undefined;
    if (src) outputs.push({ src, ...(datum.revised_prompt ? { revisedPrompt: datum.revised_prompt } : {}) });
    else rejected += 1;
  }
  if (outputs.length === 0) {
    for (const asset of result.hf_output_assets ?? []) {
      const src = safeImageSource(asset.public_url);
      if (src) outputs.push({ src });
      else rejected += 1;
    }
  }
  return { outputs, rejected };
}

/** Turns a gateway answer into the events the request machine understands. */
export function answerEvents(result: GatewayResult, outputFormat: string | undefined, providerRequestId?: string): GatewayCallEvent[] {
  const { outputs, rejected } = outputsOf(result, outputFormat);
  if (outputs.length === 0 && rejected > 0) {
    return [{ type: "gateway.failed", failure: { code: "invalid_response", message: "The gateway returned image URLs that are not safe to open (only https is accepted).", mayHaveRun: true } }];
  }
  return [
    ...outputs.map((output): GatewayCallEvent => ({ type: "gateway.output", output })),
    { type: "gateway.done", ...(providerRequestId ? { providerRequestId } : {}) },
  ];
}

export const failureEvent = (failure: GatewayFailure): GatewayCallEvent => ({
  type: "gateway.failed",
  failure: { ...failure, message: redact(failure.message) },
});
