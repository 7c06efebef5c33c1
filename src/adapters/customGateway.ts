import { invokePlugin } from "@haloforge/plugin-sdk";
import { failureFromNativeError, fieldsForModel, knownEcho, NativeImageAnswerSchema, redactError, withoutRefusedFields, withProviderSizeNames, type EndpointDescription, type GatewayCallEvent, type GatewayFailure, type RequestInput } from "../../machines/index.ts";
import { endpointWire } from "../endpoint/endpointWire.ts";
import { answerEvents, failureEvent } from "./answers.ts";
import { toProviderRequest, toResponsesRequest, UNREADABLE_IMAGES } from "./providerRequest.ts";
import { followPartials } from "./streamProgress.ts";

function commandFor(input: RequestInput, dialect: EndpointDescription["dialect"]) {
  if (input.operation === "edit") return "edit_images";
  return dialect === "responses" ? "generate_via_responses" : "generate_images";
}

/** A size the profile's provider has no term for (one typed for another gateway): nothing is sent. */
const sizeRefused = (size: string): GatewayFailure => ({ code: "unsupported_option", message: `This provider takes no size "${size}"; choose one of its aspect ratios.`, providerText: "size", mayHaveRun: false });

/** One attempt on an endpoint profile, through the native backend (the API key never comes here). */
export async function callCustomEndpoint(requestId: string, input: RequestInput, config: EndpointDescription, send?: (event: GatewayCallEvent) => void): Promise<GatewayCallEvent[]> {
  let answer: unknown;
  let request: unknown;
  try {
    const built = input.operation === "generate" && config.dialect === "responses" ? toResponsesRequest(input, config.responsesModel) : await toProviderRequest(input);
    // A field the provider refuses is never sent; a size goes under the provider's own names.
    const fields = fieldsForModel(config.fields, input.model);
    const named = withProviderSizeNames(withoutRefusedFields(built as Record<string, unknown>, fields), fields);
    if ("refused" in named) return [failureEvent(sizeRefused(named.refused))];
    request = named.request;
  } catch {
    return [failureEvent(UNREADABLE_IMAGES)];
  }
  const stream = config.partialImages && send ? { stream: true, partialImages: config.partialImages } : {};
  const stopFollowing = stream.stream ? followPartials(requestId, input.outputFormat, send!) : undefined;
  try {
    answer = await invokePlugin(commandFor(input, config.dialect), {
      requestId,
      endpoint: endpointWire(config),
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
  const { result, providerRequestId, streamFallbackReason: streamFallback, echo } = parsed.data;
  return answerEvents(result, input.outputFormat, { providerRequestId, streamFallback, echo: echo && knownEcho(echo) });
}

export async function cancelCustomRequest(requestId: string): Promise<void> {
  await invokePlugin("cancel_request", { requestId }).catch(() => undefined);
}
