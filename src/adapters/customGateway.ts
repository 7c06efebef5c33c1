import { invokePlugin } from "@haloforge/plugin-sdk";
import { DEFAULT_PROFILE_ID, failureFromNativeError, NativeImageAnswerSchema, redactError, type EndpointDescription, type GatewayCallEvent, type RequestInput } from "../../machines/index.ts";
import { answerEvents, failureEvent } from "./answers.ts";
import { toProviderRequest, toResponsesRequest, UNREADABLE_IMAGES } from "./providerRequest.ts";
import { followPartials } from "./streamProgress.ts";

function commandFor(input: RequestInput, apiType: EndpointDescription["apiType"]) {
  if (input.operation === "edit") return "edit_images";
  return apiType === "responses" ? "generate_via_responses" : "generate_images";
}

/** One attempt on the custom endpoint, through the native backend (the API key never comes here). */
export async function callCustomEndpoint(requestId: string, input: RequestInput, config: EndpointDescription, send?: (event: GatewayCallEvent) => void): Promise<GatewayCallEvent[]> {
  let answer: unknown;
  let request: unknown;
  try {
    request = input.operation === "generate" && config.apiType === "responses" ? toResponsesRequest(input, config.responsesModel) : await toProviderRequest(input);
  } catch {
    return [failureEvent(UNREADABLE_IMAGES)];
  }
  const stream = config.partialImages && send ? { stream: true, partialImages: config.partialImages } : {};
  const stopFollowing = stream.stream ? followPartials(requestId, input.outputFormat, send!) : undefined;
  try {
    answer = await invokePlugin(commandFor(input, config.apiType), {
      requestId,
      endpoint: {
        profileId: config.profileId ?? DEFAULT_PROFILE_ID,
        baseUrl: config.baseUrl,
        apiType: input.operation === "edit" ? "images" : config.apiType,
        allowInsecureHttp: config.allowInsecureHttp,
      },
      request,
      timeoutMs: config.timeoutMs,
      ...stream,
    });
  } catch (error) {
    // The IPC call itself failed: whether the backend sent the request is unknown, so it may have run.
    return [failureEvent({ code: "internal", message: redactError(error), mayHaveRun: true })];
  } finally {
    stopFollowing?.();
  }
  const parsed = NativeImageAnswerSchema.safeParse(answer);
  if (!parsed.success) {
    return [failureEvent({ code: "invalid_response", message: "The native backend answered in an unexpected shape.", mayHaveRun: true })];
  }
  if (!parsed.data.ok) return [failureEvent(failureFromNativeError(parsed.data.error))];
  return answerEvents(parsed.data.result, input.outputFormat, parsed.data.providerRequestId, parsed.data.streamFallbackReason);
}

export async function cancelCustomRequest(requestId: string): Promise<void> {
  await invokePlugin("cancel_request", { requestId }).catch(() => undefined);
}
