import { echoOfResult, redact, type AnswerEcho, type GatewayCallEvent, type GatewayFailure, type GatewayResult, type ImageOutput } from "../../machines/index.ts";
import { base64ToImageBlob, imageType } from "../images/base64Image.ts";
import { yieldToPage } from "../images/yieldToPage.ts";
import { safeImageSource } from "./outputUrl.ts";

// The answer schemas live with the machines (machines/gatewayAnswers.schema.ts); this turns a
// parsed answer into the request machine's events.

/** An answer's base64 image as a Blob of its format's type (png, jpeg, webp, gif), else undefined. */
export const imageFromBase64 = (base64: string, outputFormat = "png") => {
  const type = imageType(outputFormat);
  return type ? base64ToImageBlob(base64, type) : undefined;
};

/** A validated image address; a `data:` one becomes its Blob (the panel keeps no data URL). */
function imageFromUrl(url: string) {
  const safe = safeImageSource(url);
  if (!safe?.startsWith("data:")) return safe;
  const format = /^data:image\/(\w+);/.exec(safe)?.[1];
  return format ? imageFromBase64(safe.slice(safe.indexOf(",") + 1), format) : undefined;
}

/**
 * Images of a gateway answer, each validated; unusable entries are dropped and counted. Base64
 * becomes a Blob here, once: nothing after this holds the answer's text. Each image is its own
 * task (a 3 MB image takes about 15 ms to decode from base64 and copy into a Blob), and the first
 * waits for the task that parsed the answer's JSON to end, so none of them makes that task longer.
 */
export async function outputsOf(result: GatewayResult, outputFormat = "png"): Promise<{ outputs: ImageOutput[]; rejected: number }> {
  const outputs: ImageOutput[] = [];
  let rejected = 0;
  for (const datum of result.data ?? []) {
    if (datum.b64_json) await yieldToPage();
    const src = datum.b64_json ? imageFromBase64(datum.b64_json, outputFormat) : datum.url ? imageFromUrl(datum.url) : undefined;
    if (src) outputs.push({ src, ...(datum.revised_prompt ? { revisedPrompt: datum.revised_prompt } : {}) });
    else rejected += 1;
  }
  if (outputs.length === 0) {
    for (const asset of result.hf_output_assets ?? []) {
      const src = imageFromUrl(asset.public_url);
      if (src) outputs.push({ src });
      else rejected += 1;
    }
  }
  return { outputs, rejected };
}

/** What the native backend answers beside the result. */
export interface AnswerFacts {
  providerRequestId?: string;
  streamFallback?: string;
  /** What the answer says it made (the native `echo`); else read from the result's OpenAI fields. */
  echo?: AnswerEcho;
}

/** Turns a gateway answer into the events the request machine understands. */
export async function answerEvents(result: GatewayResult, outputFormat: string | undefined, { providerRequestId, streamFallback, ...facts }: AnswerFacts = {}): Promise<GatewayCallEvent[]> {
  const echo = facts.echo ?? echoOfResult(result);
  // The format the answer says it made is the better fact for the images' type than the one asked for.
  const made = echo?.outputFormat && imageType(echo.outputFormat) ? echo.outputFormat : outputFormat;
  const { outputs, rejected } = await outputsOf(result, made);
  if (outputs.length === 0 && rejected > 0) {
    return [{ type: "gateway.failed", failure: { code: "invalid_response", message: "The gateway returned image URLs that are not safe to open (only https is accepted).", mayHaveRun: true } }];
  }
  return [
    ...outputs.map((output): GatewayCallEvent => ({ type: "gateway.output", output })),
    { type: "gateway.done", ...(providerRequestId ? { providerRequestId } : {}), ...(result.usage ? { usage: result.usage } : {}), ...(streamFallback ? { streamFallback } : {}), ...(echo ? { echo } : {}) },
  ];
}

export const failureEvent = (failure: GatewayFailure): GatewayCallEvent => ({
  type: "gateway.failed",
  failure: { ...failure, message: redact(failure.message), ...(failure.providerText ? { providerText: redact(failure.providerText) } : {}) },
});
