import type { PluginGatewayImageEditRequest, PluginGatewayImageRequest } from "@haloforge/plugin-sdk";
import { RESPONSES_N_MAX, type EditInput, type GenerateInput, type ImageFile, type RequestInput } from "../../machines/index.ts";
import { blobToBase64 } from "../history/historyRecord.ts";

const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });

// output_compression only means something for lossy formats; gpt-image models reject it with PNG.
const compression = (input: RequestInput) =>
  input.outputFormat === "jpeg" || input.outputFormat === "webp" ? optional("output_compression", input.outputCompression) : {};

// The output options every call shape takes alike.
const outputOptions = (input: RequestInput) => ({
  ...optional("size", input.size),
  ...optional("quality", input.quality),
  ...optional("output_format", input.outputFormat),
  ...compression(input),
  ...optional("background", input.background),
});

// Not OpenAI's: only a profile whose provider takes them sends them (SiliconFlow, Ark, LocalAI).
const providerExtras = (input: RequestInput) => ({
  ...optional("seed", input.seed),
  ...optional("negative_prompt", input.negativePrompt),
});

// The one place an image becomes base64: the request is leaving for the host or the native backend.
const imageFile = async (file: ImageFile, fieldName: string) => ({
  field_name: fieldName,
  file_name: file.fileName,
  content_type: file.contentType,
  b64_json: await blobToBase64(file.blob),
});

function generateRequest(input: GenerateInput): PluginGatewayImageRequest {
  return {
    model: input.model,
    prompt: input.prompt,
    n: input.n,
    ...outputOptions(input),
    ...providerExtras(input),
  };
}

async function editRequest(input: EditInput): Promise<PluginGatewayImageEditRequest> {
  return {
    model: input.model,
    prompt: input.prompt,
    images: await Promise.all(input.images.map((file) => imageFile(file, "image[]"))),
    ...(input.mask ? { mask: await imageFile(input.mask, "mask") } : {}),
    n: input.n,
    ...outputOptions(input),
    ...optional("input_fidelity", input.inputFidelity),
    ...providerExtras(input),
  };
}

/** The OpenAI-shaped request both gateways take (the SDK's PluginGateway* types); an edit's images read as base64. */
export async function toProviderRequest(input: RequestInput): Promise<PluginGatewayImageRequest | PluginGatewayImageEditRequest> {
  return input.operation === "edit" ? editRequest(input) : generateRequest(input);
}

/** An edit's reference images could not be read (a file removed from disk): nothing was sent. */
export const UNREADABLE_IMAGES = { code: "invalid_request", message: "A reference image could not be read.", mayHaveRun: false } as const;

/** The Responses API request of the native backend: a mainline model drives the image tool. */
export function toResponsesRequest(input: GenerateInput, responsesModel: string) {
  return {
    model: responsesModel,
    prompt: input.prompt,
    image_model: input.model,
    n: Math.min(input.n, RESPONSES_N_MAX),
    ...outputOptions(input),
  };
}
