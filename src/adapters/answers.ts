import { redact, type GatewayCallEvent, type GatewayFailure, type GatewayResult, type ImageOutput } from "../../machines/index.ts";
import { base64ToDataUrl, safeImageSource } from "./outputUrl.ts";

// The answer schemas live with the machines (machines/gatewayAnswers.schema.ts); this turns a
// parsed answer into the request machine's events.

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
export function answerEvents(result: GatewayResult, outputFormat: string | undefined, providerRequestId?: string, streamFallback?: string): GatewayCallEvent[] {
  const { outputs, rejected } = outputsOf(result, outputFormat);
  if (outputs.length === 0 && rejected > 0) {
    return [{ type: "gateway.failed", failure: { code: "invalid_response", message: "The gateway returned image URLs that are not safe to open (only https is accepted).", mayHaveRun: true } }];
  }
  return [
    ...outputs.map((output): GatewayCallEvent => ({ type: "gateway.output", output })),
    { type: "gateway.done", ...(providerRequestId ? { providerRequestId } : {}), ...(result.usage ? { usage: result.usage } : {}), ...(streamFallback ? { streamFallback } : {}) },
  ];
}

export const failureEvent = (failure: GatewayFailure): GatewayCallEvent => ({
  type: "gateway.failed",
  failure: { ...failure, message: redact(failure.message), ...(failure.providerText ? { providerText: redact(failure.providerText) } : {}) },
});
