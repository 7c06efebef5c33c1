import type { PluginGatewayImageEditRequest, PluginGatewayImageRequest } from "@haloforge/plugin-sdk";
import { RESPONSES_N_MAX, type EditInput, type GenerateInput, type ImageFile, type RequestInput } from "../../machines/index.ts";

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

const imageFile = (file: ImageFile, fieldName: string) => ({
  field_name: fieldName,
  file_name: file.fileName,
  content_type: file.contentType,
  b64_json: file.base64,
});

function generateRequest(input: GenerateInput): PluginGatewayImageRequest {
  return {
    model: input.model,
    prompt: input.prompt,
    n: input.n,
    ...outputOptions(input),
  };
}

function editRequest(input: EditInput): PluginGatewayImageEditRequest {
  return {
    model: input.model,
    prompt: input.prompt,
    images: input.images.map((file) => imageFile(file, "image[]")),
    ...(input.mask ? { mask: imageFile(input.mask, "mask") } : {}),
    n: input.n,
    ...outputOptions(input),
    ...optional("input_fidelity", input.inputFidelity),
  };
}

/** The OpenAI-shaped request both gateways take (the SDK's PluginGateway* types). */
export function toProviderRequest(input: RequestInput): PluginGatewayImageRequest | PluginGatewayImageEditRequest {
  return input.operation === "edit" ? editRequest(input) : generateRequest(input);
}

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
